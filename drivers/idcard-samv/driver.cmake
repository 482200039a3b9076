# SPDX-License-Identifier: LGPL-2.1-or-later
# SAM_V (GA 467) second-generation ID-card readers over serial and USB bulk.
kiosk_driver(samv SOURCES samv.c samv_frame.c)
