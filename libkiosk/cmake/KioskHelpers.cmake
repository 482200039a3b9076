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
  set(env "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1")
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
