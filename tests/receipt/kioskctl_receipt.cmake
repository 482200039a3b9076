# SPDX-License-Identifier: LGPL-2.1-or-later
# cmake -DKIOSKCTL=… -DSRC=tests/receipt -DOUT=dir -P kioskctl_receipt.cmake
# kioskctl receipt render: a good document gives a PNG and exit 0; a bad one
# exits non-zero with exactly one line naming the JSON path.
file(MAKE_DIRECTORY ${OUT})
file(REMOVE ${OUT}/cli.png)
execute_process(COMMAND ${KIOSKCTL} receipt render ${SRC}/demo-receipt.json --profile generic-58mm -o ${OUT}/cli.png
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${OUT}/cli.png)
  message(FATAL_ERROR "render failed (${rc}): ${err}")
endif()
file(READ ${OUT}/cli.png head LIMIT 8 HEX)
if(NOT head STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "render did not write a PNG")
endif()
execute_process(COMMAND ${KIOSKCTL} receipt render ${SRC}/bad-size.json --profile generic-58mm -o ${OUT}/bad.png
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(rc EQUAL 0)
  message(FATAL_ERROR "a bad document exited 0")
endif()
if(NOT err MATCHES "items\\[1\\]\\.size: must be an integer 1\\.\\.8" OR err MATCHES "\n")
  message(FATAL_ERROR "want one line naming items[1].size, got: ${err}")
endif()
execute_process(COMMAND ${KIOSKCTL} receipt render ${SRC}/demo-receipt.json --profile no-such -o ${OUT}/x.png
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "no printer profile named 'no-such'")
  message(FATAL_ERROR "unknown profile: ${rc} ${err}")
endif()
execute_process(COMMAND ${KIOSKCTL} receipt escpos ${SRC}/demo-receipt.json --profile panel-58mm-nocut -o ${OUT}/demo.bin
                RESULT_VARIABLE rc ERROR_VARIABLE err)
file(READ ${OUT}/demo.bin head LIMIT 4 HEX)
if(NOT rc EQUAL 0 OR NOT head STREQUAL "1b401c26")
  message(FATAL_ERROR "escpos: ${rc} ${head} ${err}")
endif()
execute_process(COMMAND ${KIOSKCTL} receipt profiles RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "generic-80mm" OR NOT out MATCHES "legacy-80mm-raster-qr")
  message(FATAL_ERROR "profiles: ${out}")
endif()
