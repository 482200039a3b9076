# SPDX-License-Identifier: LGPL-2.1-or-later
"""The package version from the one version source, the ``project(VERSION)``
of the repository's top-level CMakeLists.txt.

Used by the build backend (tools/kiosk_build_backend.py, which writes
``libkiosk/_version.py`` into the wheel) and at run time when the package is imported straight
from the source tree. ``cmake --install`` writes ``_version.py`` itself.
"""

from __future__ import annotations

import os
import re
from typing import Optional

_PROJECT = re.compile(r"project\(\s*libkiosk\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", re.S)


def version_from_tree(python_dir: Optional[str] = None) -> Optional[str]:
    """The version in the CMakeLists.txt two levels above `python_dir`
    (bindings/python; by default the one holding this package), or None."""
    if python_dir is None:
        python_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(python_dir, os.pardir, os.pardir, "CMakeLists.txt")
    try:
        with open(path, encoding="utf-8") as f:
            m = _PROJECT.search(f.read())
    except OSError:
        return None
    return m.group(1) if m else None
