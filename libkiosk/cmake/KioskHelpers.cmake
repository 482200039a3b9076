# SPDX-License-Identifier: LGPL-2.1-or-later
# Build helpers shared by every folder.

# kiosk_driver(<id> SOURCES <files…>)
#   Declares a driver compiled into libkiosk. The driver's C code defines
#   `const struct kioski_driver kioski_driver_<id>`; the build generates the
#   registry table from every declared id (libkiosk/src/registry_table.c.in).
function(kiosk_driver id)
  cmake_parse_arguments(D "" "" "SOURCES" ${ARGN})
  set(srcs "")
  foreach(s ${D_SOURCES})
    list(APPEND srcs ${CMAKE_CURRENT_SOURCE_DIR}/${s})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY KIOSK_DRIVER_IDS ${id})
  set_property(GLOBAL APPEND PROPERTY KIOSK_DRIVER_SOURCES ${srcs})
endfunction()

# kiosk_test(<name> SOURCES <files…> [LIBS <libs…>] [ARGS <args…>] [LABELS <l…>]
#            [TIMEOUT s] [UMOCKDEV])
#   A C test program linked against the static library (so it may use the
#   driver API), registered with CTest. Exit code 77 means "skipped".
#   UMOCKDEV: run it under umockdev-wrapper (in-process umockdev testbed);
#   where umockdev is absent the test runs bare with KIOSK_TEST_NO_UMOCKDEV=1
#   set and must skip itself.
find_program(UMOCKDEV_WRAPPER umockdev-wrapper)
function(kiosk_test name)
  cmake_parse_arguments(T "UMOCKDEV" "TIMEOUT" "SOURCES;LIBS;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE kiosk_static kiosk_testlib ${T_LIBS})
  # In-process emulators find their data (cards) in the build tree's staged share/.
  set(env "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1"
          "KIOSK_SIM_DATA_DIR=${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_DATADIR}/libkiosk/sim")
  if(KIOSK_SANITIZE_THREAD)
    list(APPEND env "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp")
  endif()
  if(T_UMOCKDEV AND UMOCKDEV_WRAPPER)
    add_test(NAME ${name} COMMAND ${UMOCKDEV_WRAPPER} $<TARGET_FILE:${name}> ${T_ARGS})
  else()
    add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
    if(T_UMOCKDEV)
      list(APPEND env "KIOSK_TEST_NO_UMOCKDEV=1")
    endif()
  endif()
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT ${T_TIMEOUT}
                       LABELS "${T_LABELS}")
endfunction()

# ---- installed programs and their data ---------------------------------------
# The build tree mirrors the installed tree: programs in <build>/bin, their data
# in <build>/share/libkiosk (links into the source tree), so a program finds its
# data the same way from both: relative to itself (examples/common/datadir.h).
# No path of the build machine is compiled into an installed program.
set(KIOSK_STAGE_BINDIR ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_BINDIR})
set(KIOSK_STAGE_DATADIR ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_DATADIR}/libkiosk)
option(KIOSK_INSTALL_RPATH "Installed programs find libkiosk relative to themselves ($ORIGIN)" ON)

# kiosk_program(<target>)
#   An installed program: built into <build>/bin (with a link at its old place in
#   the build tree), installed into bindir, linked with the programs' common code.
function(kiosk_program target)
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${KIOSK_STAGE_BINDIR})
  if(KIOSK_INSTALL_RPATH AND NOT IS_ABSOLUTE ${CMAKE_INSTALL_LIBDIR})
    file(RELATIVE_PATH rel /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR})
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/${rel}")
  endif()
  target_link_libraries(${target} PRIVATE kiosk_program_common)
  if(NOT CMAKE_CURRENT_BINARY_DIR STREQUAL KIOSK_STAGE_BINDIR)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E create_symlink $<TARGET_FILE:${target}>
              ${CMAKE_CURRENT_BINARY_DIR}/$<TARGET_FILE_NAME:${target}>
      VERBATIM)
  endif()
  install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()

# kiosk_data(<subdir> DIRECTORY <dir>)  |  kiosk_data(<subdir> FILES <files…>)
#   Data installed into <datadir>/libkiosk/<subdir> and linked into the build
#   tree's <build>/share/libkiosk/<subdir>. Relative paths are from the
#   current source folder.
function(kiosk_data subdir)
  cmake_parse_arguments(D "" "DIRECTORY" "FILES" ${ARGN})
  set(stage ${KIOSK_STAGE_DATADIR}/${subdir})
  if(D_DIRECTORY)
    get_filename_component(src ${D_DIRECTORY} ABSOLUTE)
    get_filename_component(parent ${stage} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(REMOVE ${stage})
    file(CREATE_LINK ${src} ${stage} SYMBOLIC)
    install(DIRECTORY ${src}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/libkiosk/${subdir})
  else()
    file(MAKE_DIRECTORY ${stage})
    foreach(f ${D_FILES})
      get_filename_component(src ${f} ABSOLUTE)
      get_filename_component(name ${f} NAME)
      file(REMOVE ${stage}/${name})
      file(CREATE_LINK ${src} ${stage}/${name} SYMBOLIC)
    endforeach()
    install(FILES ${D_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/libkiosk/${subdir})
  endif()
endfunction()

# kiosk_systemd_unit(<name>.service.in)
#   A systemd unit written at install time for the prefix installed into
#   (cmake --install --prefix P): @CMAKE_INSTALL_FULL_BINDIR@ and
#   @CMAKE_INSTALL_FULL_SYSCONFDIR@ in the template become P's; it goes into
#   KIOSK_SYSTEMD_UNIT_DIR, else systemd's systemdsystemunitdir (pkg-config) for
#   systemd's own prefix, else P/lib/systemd/system (InstallSystemdUnit.cmake).
set(KIOSK_SYSTEMD_UNIT_DIR "" CACHE STRING
    "Where cmake --install puts systemd units (empty: worked out at install time)")
find_program(KIOSK_PKG_CONFIG NAMES pkg-config)
function(kiosk_systemd_unit template)
  get_filename_component(in ${template} ABSOLUTE)
  install(CODE "
    set(KIOSK_UNIT_IN \"${in}\")
    set(KIOSK_UNIT_DIR \"${KIOSK_SYSTEMD_UNIT_DIR}\")
    set(KIOSK_UNIT_PKG_CONFIG \"${KIOSK_PKG_CONFIG}\")
    set(KIOSK_UNIT_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
    set(KIOSK_UNIT_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
    set(KIOSK_UNIT_WORK \"${CMAKE_CURRENT_BINARY_DIR}\")
    include(\"${PROJECT_SOURCE_DIR}/libkiosk/cmake/InstallSystemdUnit.cmake\")
  ")
endfunction()
