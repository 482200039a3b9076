# SPDX-License-Identifier: LGPL-2.1-or-later
# cmake -DROOT=hw/profiles -DOUT=70-libkiosk.rules -DGROUP=kiosk [-DMETAINFO=F] -P gen-rules.cmake
# METAINFO: also write an AppStream metainfo file that lists the same USB ids as
# modaliases, so that software centres know which package supports a device.
# One rule per USB id found in any profile (except "emulated": true ones): the raw USB node (libusb) and the
# nodes below it (usblp, ttyUSB/ACM, hidraw, evdev) get MODE 0660 and the group.
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/*.json)
list(SORT files)
set(out "# Generated from hw/profiles by hw/udev/gen-rules.cmake at build time — do not edit.\n")
string(APPEND out "# Gives group '${GROUP}' read/write access to the devices libkiosk drives,\n")
string(APPEND out "# so kioskctl and the kiosk app run as an ordinary user in that group.\n")
string(APPEND out "# Install: cmake --install (or copy to /etc/udev/rules.d/), then\n")
string(APPEND out "#   groupadd -r ${GROUP}; usermod -aG ${GROUP} USER; udevadm control --reload; udevadm trigger\n\n")
set(seen "")
set(modaliases "")
set(count 0)
foreach(f ${files})
  get_filename_component(family ${f} DIRECTORY)
  get_filename_component(name ${f} NAME_WE)
  file(READ ${ROOT}/${f} json)
  # Profiles of emulated devices (kiosk-sim) get no rule on real terminals.
  string(JSON emulated ERROR_VARIABLE eerr GET "${json}" emulated)
  if(NOT eerr AND emulated)
    continue()
  endif()
  string(JSON type ERROR_VARIABLE jerr TYPE "${json}" usb)
  if(jerr OR NOT type STREQUAL "ARRAY")
    continue()
  endif()
  string(JSON n LENGTH "${json}" usb)
  if(n EQUAL 0)
    continue()
  endif()
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    # The library reads exactly this form (kioski_parse_usb_id); so does this rule writer.
    string(JSON etype TYPE "${json}" usb ${i})
    if(NOT etype STREQUAL "STRING")
      message(FATAL_ERROR "${f}: usb[${i}] must be \"VVVV:PPPP\"")
    endif()
    string(JSON id GET "${json}" usb ${i})
    string(TOLOWER "${id}" id)
    if(NOT id MATCHES "^([0-9a-f][0-9a-f][0-9a-f][0-9a-f]):([0-9a-f][0-9a-f][0-9a-f][0-9a-f])$")
      message(FATAL_ERROR "${f}: usb[${i}] \"${id}\" is not VVVV:PPPP in hex")
    endif()
    set(vid ${CMAKE_MATCH_1})
    set(pid ${CMAKE_MATCH_2})
    string(APPEND out "# ${family}/${name}\n")
    if(NOT "${vid}:${pid}" IN_LIST seen)
      list(APPEND seen "${vid}:${pid}")
      string(TOUPPER "${vid}" uvid)
      string(TOUPPER "${pid}" upid)
      string(APPEND modaliases "    <modalias>usb:v${uvid}p${upid}d*</modalias>\n")
      string(APPEND out "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"${vid}\", ATTR{idProduct}==\"${pid}\", MODE=\"0660\", GROUP=\"${GROUP}\", TAG+=\"uaccess\"\n")
      # Nodes the kernel drivers create below it: usblp printers, USB-serial
      # adapters, HID scanners (hidraw, evdev).
      string(APPEND out "SUBSYSTEM==\"usbmisc|tty|hidraw|input\", ATTRS{idVendor}==\"${vid}\", ATTRS{idProduct}==\"${pid}\", MODE=\"0660\", GROUP=\"${GROUP}\", TAG+=\"uaccess\"\n")
      math(EXPR count "${count} + 1")
    else()
      string(APPEND out "# (${vid}:${pid} already covered above)\n")
    endif()
  endforeach()
endforeach()
string(APPEND out "\n# ${count} USB ids.\n")
file(WRITE ${OUT}.tmp "${out}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)

if(METAINFO)
  file(WRITE ${METAINFO}.tmp "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<!-- Generated from hw/profiles by hw/udev/gen-rules.cmake at build time; do not edit. -->
<component type=\"driver\">
  <id>org.libkiosk.kiosk_tools</id>
  <metadata_license>CC0-1.0</metadata_license>
  <project_license>LGPL-2.1-or-later</project_license>
  <name>libkiosk kiosk tools</name>
  <summary>Access to self-service kiosk ID-card readers, receipt printers and scanners</summary>
  <description>
    <p>Udev rules giving the group ${GROUP} access to the ID-card readers, ESC/POS
    receipt printers and scanners that libkiosk drives, and kioskctl to use them.</p>
  </description>
  <provides>
${modaliases}  </provides>
</component>
")
  file(COPY_FILE ${METAINFO}.tmp ${METAINFO} ONLY_IF_DIFFERENT)
  file(REMOVE ${METAINFO}.tmp)
endif()
