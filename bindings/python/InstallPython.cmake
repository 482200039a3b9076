# SPDX-License-Identifier: LGPL-2.1-or-later
# Run by `cmake --install` (install(SCRIPT)): installs the libkiosk Python
# package for the install-time prefix (so --prefix overrides are honoured) and
# records the shared library installed with it in libkiosk/_install.py.
# Inputs (set by CMakeLists.txt): KIOSK_PY_SRC, KIOSK_PY_EXE, KIOSK_PY_SITEDIR
# (empty: ask sitedir.py), KIOSK_PY_LIBDIR, KIOSK_PY_SOVERSION, KIOSK_PY_VERSION.
set(_rel "${KIOSK_PY_SITEDIR}")
if(NOT _rel)
  if(EXISTS "${KIOSK_PY_EXE}")
    execute_process(COMMAND "${KIOSK_PY_EXE}" "${KIOSK_PY_SRC}/sitedir.py" "${CMAKE_INSTALL_PREFIX}"
                    OUTPUT_VARIABLE _rel OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      set(_rel "")
    endif()
  endif()
  if(NOT _rel)
    set(_rel "lib/python3/dist-packages")
  endif()
endif()
if(IS_ABSOLUTE "${KIOSK_PY_LIBDIR}")
  set(_lib "${KIOSK_PY_LIBDIR}/libkiosk.so.${KIOSK_PY_SOVERSION}")
else()
  set(_lib "${CMAKE_INSTALL_PREFIX}/${KIOSK_PY_LIBDIR}/libkiosk.so.${KIOSK_PY_SOVERSION}")
endif()
set(_dest "${CMAKE_INSTALL_PREFIX}/${_rel}")
file(INSTALL DESTINATION "${_dest}" TYPE DIRECTORY FILES "${KIOSK_PY_SRC}/libkiosk"
     FILES_MATCHING PATTERN "*.py" PATTERN "py.typed"
     PATTERN "__pycache__" EXCLUDE PATTERN "_install.py" EXCLUDE PATTERN "_version.py" EXCLUDE)
file(WRITE "$ENV{DESTDIR}${_dest}/libkiosk/_install.py"
     "# Written by cmake --install: the libkiosk installed with this package.\nLIBRARY = \"${_lib}\"\n")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_dest}/libkiosk/_install.py")
file(WRITE "$ENV{DESTDIR}${_dest}/libkiosk/_version.py"
     "# Written by cmake --install, from CMake's project(VERSION).\n__version__ = \"${KIOSK_PY_VERSION}\"\n")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_dest}/libkiosk/_version.py")
message(STATUS "Python package: $ENV{DESTDIR}${_dest}/libkiosk (library ${_lib})")
