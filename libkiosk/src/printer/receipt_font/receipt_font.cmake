# SPDX-License-Identifier: LGPL-2.1-or-later
# Packs the preview glyphs from GNU Unifont (Debian package `unifont`) at
# build time and embeds them into libkiosk (receipt_font.c, .incbin).
# Included from hw/udev/CMakeLists.txt, after libkiosk/ defined kiosk_objects.
# Cost: ~620 KB of read-only data in libkiosk.so (31,439 glyphs: Latin, Greek,
# Cyrillic, symbols, CJK punctuation, kana, CJK Unified + Ext A, fullwidth
# forms), unpacked to ~1 MB on the first preview only. -DKIOSK_PREVIEW_FONT=OFF
# leaves it out: previews then draw each character as a box.
option(KIOSK_PREVIEW_FONT "Embed the receipt preview font packed from unifont.hex" ON)
if(NOT KIOSK_PREVIEW_FONT)
  return()
endif()
set(KIOSK_UNIFONT_HEX /usr/share/unifont/unifont.hex CACHE FILEPATH
    "GNU Unifont .hex file the receipt preview font is generated from")
if(NOT EXISTS ${KIOSK_UNIFONT_HEX})
  message(WARNING "libkiosk: ${KIOSK_UNIFONT_HEX} not found (apt-get install unifont): "
                  "receipt previews will draw text as boxes")
endif()
set(_kfsrc ${PROJECT_SOURCE_DIR}/libkiosk/src/printer/receipt_font)
add_executable(kiosk_fontgen ${_kfsrc}/fontgen.c)
target_link_libraries(kiosk_fontgen PRIVATE PkgConfig::PNG)
set(KIOSK_FONT_BLOB ${PROJECT_BINARY_DIR}/libkiosk/receipt_font.bin)
set(_kfdeps)
if(EXISTS ${KIOSK_UNIFONT_HEX})
  set(_kfdeps ${KIOSK_UNIFONT_HEX})
endif()
add_custom_command(OUTPUT ${KIOSK_FONT_BLOB}
  COMMAND kiosk_fontgen ${KIOSK_UNIFONT_HEX} ${KIOSK_FONT_BLOB}
  DEPENDS kiosk_fontgen ${_kfdeps}
  COMMENT "Packing the receipt preview font from Unifont")
add_custom_target(kiosk_font_blob DEPENDS ${KIOSK_FONT_BLOB})
add_dependencies(kiosk_objects kiosk_font_blob)
set_source_files_properties(${PROJECT_SOURCE_DIR}/libkiosk/src/printer/receipt_font.c
  DIRECTORY ${PROJECT_SOURCE_DIR}/libkiosk
  PROPERTIES OBJECT_DEPENDS ${KIOSK_FONT_BLOB}
             COMPILE_DEFINITIONS "KIOSK_FONT_BLOB=\"${KIOSK_FONT_BLOB}\"")
