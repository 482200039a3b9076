# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints where the libkiosk package goes under an install prefix, relative to it.

Used by `cmake --install` (InstallPython.cmake) with /usr/bin/python3:
  /usr        -> lib/python3/dist-packages        (Debian's system dir)
  /usr/local  -> lib/python3.X/dist-packages      (Debian's local dir)
  other       -> the posix_prefix purelib, e.g. lib/python3.X/site-packages
"""
import os
import sys
import sysconfig

prefix = os.path.normpath(sys.argv[1]) if len(sys.argv) > 1 else sys.prefix
names = sysconfig.get_scheme_names()
if prefix == "/usr" and "deb_system" in names:
    d = sysconfig.get_path("purelib", "deb_system", vars={"base": prefix, "platbase": prefix})
elif prefix == "/usr/local" and "deb_system" in names:
    d = os.path.join(prefix, "lib", "python" + sysconfig.get_python_version(), "dist-packages")
else:
    d = sysconfig.get_path("purelib", "posix_prefix", vars={"base": prefix, "platbase": prefix})
print(os.path.relpath(d, prefix))
