# SPDX-License-Identifier: LGPL-2.1-or-later
"""The package installs offline with pip and with cmake --install, and finds its library."""

import glob
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


def _pythons():
    """Every Python >= 3.9 on the machine with venv: Debian's and pyenv's."""
    cands = ["/usr/bin/python3"] + sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python3")))
    found, seen = [], set()
    for exe in cands:
        if not os.access(exe, os.X_OK):
            continue
        r = subprocess.run([exe, "-c", "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            continue
        ver = tuple(int(x) for x in r.stdout.split(".")[:2])
        real = os.path.realpath(exe)
        if ver >= (3, 9) and real not in seen:
            seen.add(real)
            found.append(pytest.param(exe, id="%s-%d.%d" % ("debian" if exe.startswith("/usr/") else "pyenv", *ver)))
    return found


def _tree(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, dirs, files in os.walk(root) for f in files + [x + "/" for x in dirs])


@pytest.mark.parametrize("python", _pythons())
def test_pip_install_offline(tmp, python):
    """pip install ./bindings/python works offline in a bare venv of every Python
    on the machine (no setuptools, no wheel needed), with and without build
    isolation, and leaves nothing in the source tree."""
    # a copy laid out as the repository (the version comes from CMakeLists.txt
    # when pyproject.toml declares it dynamic), so a failure cannot litter the tree
    src = os.path.join(tmp, "repo", "bindings", "python")
    shutil.copytree(PKG, src, ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                             "__pycache__", "_install.py"))
    shutil.copy(os.path.join(ROOT, "CMakeLists.txt"), os.path.join(tmp, "repo"))
    before = _tree(src)
    lib = os.environ["LIBKIOSK_LIBRARY"]
    venv = os.path.join(tmp, "venv")
    subprocess.run([python, "-m", "venv", venv], check=True, timeout=300,
                   env=clean_env(), capture_output=True)
    for isolation in ([], ["--no-build-isolation"]):
        if isolation:  # the same venv, again without build isolation
            subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "uninstall", "-y", "-q",
                            "libkiosk"], check=True, timeout=120, env=clean_env(), capture_output=True)
        r = subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--no-index",
                            "--no-cache-dir", *isolation, src],
                           capture_output=True, text=True, timeout=300, cwd=tmp,
                           env=clean_env(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"))
        assert r.returncode == 0, r.stdout + r.stderr
        assert _tree(src) == before, "pip wrote into the source tree: %s" % (set(_tree(src)) - set(before))
        r = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                            "import libkiosk, os, importlib.metadata as m; "
                            "print(os.path.dirname(libkiosk.__file__)); "
                            "print(libkiosk.version(), m.version('libkiosk')); "
                            "print(os.path.exists(os.path.join(os.path.dirname(libkiosk.__file__), 'py.typed'))); "
                            "print(m.metadata('libkiosk')['License'])"],
                           capture_output=True, text=True, timeout=60, cwd=tmp,
                           env=clean_env(LIBKIOSK_LIBRARY=lib))
        assert r.returncode == 0, r.stderr
        where, version, dist_version, typed, license_ = r.stdout.split()
        assert where.startswith(venv) and typed == "True", r.stdout
        assert version == dist_version, "library %s, Python package %s" % (version, dist_version)
        assert license_ == "LGPL-2.1-or-later"


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
                        "import libkiosk; print(libkiosk.library_path()); print(libkiosk.version())"],
                       capture_output=True, text=True, timeout=60, cwd=tmp,
                       env=clean_env(PYTHONPATH=site))
    assert r.returncode == 0, r.stderr
    path = r.stdout.split()[0]
    assert path.startswith(prefix), path


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
