# SPDX-License-Identifier: LGPL-2.1-or-later
# Install-time part of kiosk_systemd_unit() (KioskHelpers.cmake): writes the unit
# for the prefix being installed into and installs it. Inputs: KIOSK_UNIT_IN,
# KIOSK_UNIT_DIR (may be empty), KIOSK_UNIT_PKG_CONFIG, KIOSK_UNIT_BINDIR,
# KIOSK_UNIT_SYSCONFDIR, KIOSK_UNIT_WORK; CMAKE_INSTALL_PREFIX is the install's.
set(prefix "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/+$" "" prefix "${prefix}")

# bindir and sysconfdir as GNUInstallDirs makes them absolute, for this prefix
if(IS_ABSOLUTE "${KIOSK_UNIT_BINDIR}")
  set(CMAKE_INSTALL_FULL_BINDIR "${KIOSK_UNIT_BINDIR}")
else()
  set(CMAKE_INSTALL_FULL_BINDIR "${prefix}/${KIOSK_UNIT_BINDIR}")
endif()
if(IS_ABSOLUTE "${KIOSK_UNIT_SYSCONFDIR}")
  set(CMAKE_INSTALL_FULL_SYSCONFDIR "${KIOSK_UNIT_SYSCONFDIR}")
elseif(prefix STREQUAL "/usr")
  set(CMAKE_INSTALL_FULL_SYSCONFDIR "/${KIOSK_UNIT_SYSCONFDIR}")
elseif(prefix MATCHES "^/opt/")
  set(CMAKE_INSTALL_FULL_SYSCONFDIR "/${KIOSK_UNIT_SYSCONFDIR}${prefix}")
else()
  set(CMAKE_INSTALL_FULL_SYSCONFDIR "${prefix}/${KIOSK_UNIT_SYSCONFDIR}")
endif()

set(unitdir "${KIOSK_UNIT_DIR}")
if(unitdir AND NOT IS_ABSOLUTE "${unitdir}")
  set(unitdir "${prefix}/${unitdir}")
endif()
if(NOT unitdir AND KIOSK_UNIT_PKG_CONFIG)
  execute_process(COMMAND "${KIOSK_UNIT_PKG_CONFIG}" --variable=prefix systemd
                  OUTPUT_VARIABLE sd_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0)
    if(sd_prefix STREQUAL prefix)   # systemd's own prefix: its directory as it is
      set(defs "")
    else()                          # another prefix: the same layout under it
      set(defs "--define-variable=prefix=${prefix}" "--define-variable=root_prefix=${prefix}"
               "--define-variable=rootprefix=${prefix}")
    endif()
    execute_process(COMMAND "${KIOSK_UNIT_PKG_CONFIG}" ${defs} --variable=systemdsystemunitdir systemd
                    OUTPUT_VARIABLE unitdir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
endif()
if(NOT unitdir)
  set(unitdir "${prefix}/lib/systemd/system")
endif()

get_filename_component(name "${KIOSK_UNIT_IN}" NAME)
string(REGEX REPLACE "\\.in$" "" name "${name}")
configure_file("${KIOSK_UNIT_IN}" "${KIOSK_UNIT_WORK}/install-unit/${name}" @ONLY)
file(INSTALL DESTINATION "${unitdir}" TYPE FILE FILES "${KIOSK_UNIT_WORK}/install-unit/${name}")
