# SPDX-License-Identifier: LGPL-2.1-or-later
# Vendors mqtt.js for the fleet console (run by CMakeLists.txt at build time):
#   cmake -DNPM=… -DVERSION=… -DSHA512=… -DWORK=… -DOUT=… -DSTAMP=… -P vendor.cmake
# npm pack fetches the release tarball (through npm's own registry settings,
# proxy and cache); its SHA-512 must equal the pin, else the build fails. The
# browser bundle and the license go to OUT. No npm, no registry: a warning,
# OUT/UNAVAILABLE.txt says why, the build goes on (and tries again next time).
cmake_minimum_required(VERSION 3.25)
file(REMOVE ${STAMP})

function(unavailable why)
  file(REMOVE ${OUT}/mqtt.min.js ${OUT}/LICENSE.mqtt.js.md)
  file(WRITE ${OUT}/UNAVAILABLE.txt "The fleet console is unavailable: ${why}\n")
  message(WARNING "fleet console unavailable: ${why} (the rest of the build is not affected)")
endfunction()

if(NOT NPM)
  unavailable("npm was not found (install nodejs and npm, or configure with -DKIOSK_FLEET_CONSOLE=OFF)")
  return()
endif()
set(tgz ${WORK}/mqtt-${VERSION}.tgz)
set(have "")
if(EXISTS ${tgz})
  file(SHA512 ${tgz} have)
endif()
if(NOT have STREQUAL SHA512)
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  execute_process(COMMAND ${NPM} pack mqtt@${VERSION} --pack-destination ${WORK}
                          --loglevel=error --fetch-retries=1 --fetch-timeout=30000
                  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_QUIET
                  ERROR_VARIABLE err TIMEOUT 180)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${tgz})
    # npm's first lines say what went wrong (code, request); the rest is a stack
    string(REGEX MATCHALL "[^\n]+" lines "${err}")
    list(SUBLIST lines 0 3 lines)
    list(JOIN lines "; " err)
    unavailable("npm pack mqtt@${VERSION} failed (${rc}): ${err}")
    return()
  endif()
  file(SHA512 ${tgz} have)
  if(NOT have STREQUAL SHA512)
    file(REMOVE ${tgz})
    message(FATAL_ERROR "mqtt-${VERSION}.tgz from npm has SHA-512 ${have}, the pin in "
                        "examples/fleet-console/CMakeLists.txt is ${SHA512}: refusing it")
  endif()
endif()
file(REMOVE_RECURSE ${WORK}/x)
file(ARCHIVE_EXTRACT INPUT ${tgz} DESTINATION ${WORK}/x
     PATTERNS package/dist/mqtt.min.js package/LICENSE.md)
if(NOT EXISTS ${WORK}/x/package/dist/mqtt.min.js)
  message(FATAL_ERROR "mqtt-${VERSION}.tgz holds no dist/mqtt.min.js")
endif()
file(MAKE_DIRECTORY ${OUT})
file(REMOVE ${OUT}/UNAVAILABLE.txt)
file(COPY_FILE ${WORK}/x/package/dist/mqtt.min.js ${OUT}/mqtt.min.js)
file(COPY_FILE ${WORK}/x/package/LICENSE.md ${OUT}/LICENSE.mqtt.js.md)
file(REMOVE_RECURSE ${WORK}/x)
file(WRITE ${STAMP} "mqtt ${VERSION} sha512 ${SHA512}\n")
