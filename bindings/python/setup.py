# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build hook of the libkiosk Python package (metadata is in pyproject.toml).

The version is not typed here: it is read from the repository's one version
source, the top-level CMakeLists.txt's project(VERSION), and written into
the built package as libkiosk/_version.py.
"""

import importlib.util
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def _version() -> str:
    spec = importlib.util.spec_from_file_location(
        "_srcversion", os.path.join(HERE, "libkiosk", "_srcversion.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    v = mod.version_from_tree(HERE)
    if v:
        return v
    # An unpacked sdist has no CMakeLists.txt above it: use the generated file.
    ns: dict = {}
    try:
        with open(os.path.join(HERE, "libkiosk", "_version.py"), encoding="utf-8") as f:
            exec(f.read(), ns)
        return ns["__version__"]
    except (OSError, KeyError) as e:
        raise SystemExit("libkiosk: cannot find the version (no ../../CMakeLists.txt "
                         "with project(libkiosk VERSION …) and no libkiosk/_version.py)") from e


VERSION = _version()


class BuildPy(build_py):
    """Writes libkiosk/_version.py into the built package."""

    def run(self):
        super().run()
        out = os.path.join(self.build_lib, "libkiosk", "_version.py")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write("# Written when the package was built, from CMake's project(VERSION).\n"
                    f'__version__ = "{VERSION}"\n')


setup(version=VERSION, cmdclass={"build_py": BuildPy})
