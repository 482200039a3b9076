# SPDX-License-Identifier: LGPL-2.1-or-later
"""The package installs offline with pip and with cmake --install, and finds its library."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, build_dir

PKG = os.path.join(ROOT, "bindings", "python")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "LIBKIOSK_LIBRARY", "PIP_INDEX_URL", "PIP_FIND_LINKS")}
    env.update(extra)
    return env


def test_pip_install_offline(tmp):
    venv = os.path.join(tmp, "venv")
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv],
                   check=True, timeout=300)
    # A copy (pip must not litter the shared tree) laid out like the repository:
    # the package's version comes from the top-level CMakeLists.txt.
    src = os.path.join(tmp, "repo", "bindings", "python")
    shutil.copytree(PKG, src, ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                             "__pycache__", "_install.py",
                                                             "_version.py"))
    shutil.copy(os.path.join(ROOT, "CMakeLists.txt"), os.path.join(tmp, "repo"))
    r = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--no-index",
                        "--no-build-isolation", "--no-cache-dir", src],
                       capture_output=True, text=True, timeout=300,
                       env=clean_env(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert r.returncode == 0, r.stdout + r.stderr
    lib = os.environ["LIBKIOSK_LIBRARY"]
    r = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                        "import libkiosk, os; print(os.path.dirname(libkiosk.__file__)); "
                        "print(libkiosk.version()); "
                        "print(os.path.exists(os.path.join(os.path.dirname(libkiosk.__file__), 'py.typed'))); "
                        "print(libkiosk.__version__)"],
                       capture_output=True, text=True, timeout=60, cwd=tmp,
                       env=clean_env(LIBKIOSK_LIBRARY=lib))
    assert r.returncode == 0, r.stderr
    where, version, typed, py_version = r.stdout.split()
    assert where.startswith(venv) and version.count(".") == 2 and typed == "True"
    assert py_version == version  # one version source: CMake's project(VERSION)


def test_cmake_install_finds_its_library(tmp):
    b = build_dir()
    if b is None:
        pytest.skip("KIOSK_BUILD_DIR not set (run through CTest)")
    # Install under DESTDIR so that nothing lands outside the temporary directory
    # even if some install rule uses an absolute destination; the prefix then
    # points into the staged tree so that the recorded library path is real.
    prefix = os.path.join(tmp, "prefix")
    stage = os.path.join(tmp, "stage")
    r = subprocess.run(["cmake", "--install", b, "--prefix", prefix],
                       capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, DESTDIR=stage))
    assert r.returncode == 0, r.stdout + r.stderr
    os.symlink(stage + prefix, prefix)
    inits = [os.path.join(d, "__init__.py") for d, _, files in os.walk(prefix)
             if os.path.basename(d) == "libkiosk" and "__init__.py" in files]
    assert len(inits) == 1, inits
    site = os.path.dirname(os.path.dirname(inits[0]))
    # no LIBKIOSK_LIBRARY, no LD_LIBRARY_PATH: the package finds the library installed with it
    r = subprocess.run(["/usr/bin/python3", "-c",
                        "import libkiosk; print(libkiosk.library_path()); print(libkiosk.version()); "
                        "print(libkiosk.__version__)"],
                       capture_output=True, text=True, timeout=60, cwd=tmp,
                       env=clean_env(PYTHONPATH=site))
    assert r.returncode == 0, r.stderr
    path, version, py_version = r.stdout.split()
    assert path.startswith(prefix), path
    assert py_version == version


def test_missing_library_is_a_clear_error(tmp):
    r = subprocess.run(["/usr/bin/python3", "-c",
                        "import libkiosk\n"
                        "help_ok = 'Context' in libkiosk.__doc__\n"
                        "try:\n"
                        "    libkiosk.Context()\n"
                        "except libkiosk.LibraryNotFound as e:\n"
                        "    print('LibraryNotFound', help_ok, 'LIBKIOSK_LIBRARY' in str(e))\n"],
                       capture_output=True, text=True, timeout=60, cwd=tmp,
                       env=clean_env(PYTHONPATH=PKG, LIBKIOSK_LIBRARY="/nonexistent/libkiosk.so.0"))
    assert r.stdout.strip() == "LibraryNotFound True True", r.stdout + r.stderr
