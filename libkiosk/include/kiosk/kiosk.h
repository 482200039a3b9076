/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/kiosk.h — the whole public API of libkiosk.
 *
 *   #include <kiosk/kiosk.h>     pkg-config: libkiosk     CMake: libkiosk::kiosk
 *
 * Compile-time version: KIOSK_VERSION_MAJOR/MINOR/MICRO and
 * KIOSK_CHECK_VERSION() (version.h); run-time: kiosk_version().
 *
 * Ownership, one rule each: every buffer the library returns (JSON, PNG,
 * ESC/POS bytes, photos, scanned codes) is released with kiosk_free(); every
 * object with its own _free()/_close() call (context, card, receipt, event,
 * URI, device handles) is released with that call; jobs are reference
 * counted (kiosk_job_ref()/kiosk_job_unref()). Strings returned as
 * `const char *` are borrowed and never freed.
 *
 * Start with kiosk_context_new() (context.h), open devices by URI (uri.h)
 * with the family calls (idcard.h, printer.h, scanner.h, touch.h), describe
 * receipts with receipt.h, and integrate kiosk_context_get_fd() in your event
 * loop to receive job completions (job.h) and device events (event.h).
 */
#ifndef KIOSK_KIOSK_H
#define KIOSK_KIOSK_H

#include <kiosk/version.h>
#include <kiosk/common.h>
#include <kiosk/error.h>
#include <kiosk/context.h>
#include <kiosk/uri.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
#include <kiosk/event.h>
#include <kiosk/idcard.h>
#include <kiosk/receipt.h>
#include <kiosk/printer.h>
#include <kiosk/scanner.h>
#include <kiosk/touch.h>
#include <kiosk/privacy.h>
#include <kiosk/utf8.h>

#endif
