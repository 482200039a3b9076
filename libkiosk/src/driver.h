/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driver.h — the driver API (kioski_*): what drivers and family front-ends
 * may call. Not installed, not exported: the version script keeps every
 * kioski_* symbol inside the library.
 *
 * Layers (docs/architecture.md): a family front-end (src/idcard/,
 * src/printer/, src/input/) implements the public kiosk_<family>_* calls on
 * top of a driver's ops table and is device-independent; a driver
 * (drivers/<id>/) owns its wire protocol and speaks it over a
 * kioski_transport, never calling termios, sockets or libusb itself.
 *
 * Driver state, one convention for every family: a driver keeps its state
 * in kiosk_device.priv (the family handle embeds kiosk_device first). The
 * ops' `open` allocates and sets it, `close` wipes what may hold personal
 * data, frees it and sets it back to NULL; the front-end never looks inside.
 * A driver includes driver.h, its family's private header
 * (e.g. "printer/printer_private.h") and transport headers it needs
 * ("transport/evdev.h"), never another family's or another driver's.
 */
#ifndef KIOSKI_DRIVER_H
#define KIOSKI_DRIVER_H

#include <stdarg.h>
#include <kiosk/kiosk.h>

/* ---- time, memory, masking ---------------------------------------------- */

/** Monotonic milliseconds. */
uint64_t kioski_now_ms(void);

/** Milliseconds left until `deadline_ms` (kioski_now_ms() based), >= 0.
 *  A deadline of UINT64_MAX means no limit and returns INT32_MAX. */
int kioski_remaining_ms(uint64_t deadline_ms);

/** Deadline `timeout_ms` from now; KIOSK_TIMEOUT_INFINITE (or < 0) gives UINT64_MAX. */
uint64_t kioski_deadline(int timeout_ms);

/** Sleeps `ms` milliseconds (EINTR-safe). */
void kioski_sleep_ms(int ms);

/** Overwrites `n` bytes with zeros in a way the compiler cannot elide. */
void kioski_wipe(void *p, size_t n);

/** strdup that wipes nothing but never returns NULL for a non-NULL input unless OOM. */
char *kioski_strdup(const char *s);

/* Masking personal data for logs: kiosk_mask_name(), kiosk_mask_id_number()
 * and kiosk_mask_address() of <kiosk/privacy.h>, the one policy. */

/** Hex dump of at most `max` bytes into `out` for debug logs ("aa aa 96 …"). */
void kioski_hex(const void *data, size_t len, size_t max, char *out, size_t out_len);

/** Parses exactly "VVVV:PPPP" (hex, as in usb: URIs and profiles' "usb" lists). */
bool kioski_parse_usb_id(const char *text, uint16_t *vid, uint16_t *pid);

/** Writes `value` %-escaped for use as a URI option value (e.g. a USB serial). */
void kioski_uri_escape_value(const char *value, char *out, size_t out_len);

/** The device URI "usb:vvvv:pppp[?serial=S]" (S %-escaped; omitted when
 *  `serial` is NULL or empty) into out. */
void kioski_usb_uri(uint16_t vid, uint16_t pid, const char *serial, char *out, size_t out_len);

/* ---- logging -------------------------------------------------------------- */

/** Logs through the context's sink if `level` is enabled. Never pass
 *  personal data unmasked. `ctx` may be NULL (then stderr at WARN). */
void kioski_log(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void kioski_logv(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		 const char *fmt, va_list ap);
bool kioski_log_enabled(kiosk_context *ctx, enum kiosk_log_level level);

#define kioski_err(ctx, comp, ...) kioski_log(ctx, KIOSK_LOG_ERROR, comp, __VA_ARGS__)
#define kioski_warn(ctx, comp, ...) kioski_log(ctx, KIOSK_LOG_WARN, comp, __VA_ARGS__)
#define kioski_info(ctx, comp, ...) kioski_log(ctx, KIOSK_LOG_INFO, comp, __VA_ARGS__)
#define kioski_dbg(ctx, comp, ...) kioski_log(ctx, KIOSK_LOG_DEBUG, comp, __VA_ARGS__)

/**
 * Per-context data for family front-ends (e.g. the WLT decoder library path).
 * `key` is the address of a static object of the caller; setting replaces
 * (freeing the old value with its free_fn) and NULL data removes. Values are
 * freed with the context. Set and get from the application's thread, or
 * guard the value yourself.
 */
int kioski_context_set_data(kiosk_context *ctx, const void *key, void *data,
			    void (*free_fn)(void *));
void *kioski_context_get_data(kiosk_context *ctx, const void *key);

/** Sets the context's last-error message and returns `err` (for `return kioski_context_fail(…)`). */
int kioski_context_fail(kiosk_context *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- transports ------------------------------------------------------------ */

typedef struct kioski_transport kioski_transport;

/**
 * Describes `len` bytes a link sent (`out`) or received for a debug trace,
 * into `buf` (always terminated): command names, numeric parameters, and
 * for text or data runs only their length ("text[12]") — never their bytes.
 */
typedef void (*kioski_trace_fn)(const uint8_t *data, size_t len, bool out, char *buf,
				size_t buf_len);

/**
 * A transport backend, one per URI scheme (the libusb usbi_os_backend idea).
 * read: waits up to timeout_ms for at least one byte, returns KIOSK_OK with
 *   *got >= 1, or KIOSK_E_TIMEOUT / KIOSK_E_CANCELLED / KIOSK_E_CLOSED (peer
 *   closed, EOF, hang-up) / KIOSK_E_NO_DEVICE (unplugged) / KIOSK_E_IO.
 * write: writes all `len` bytes before the timeout or fails as above
 *   (a partial write that then times out is KIOSK_E_TIMEOUT).
 * `ep` selects a USB endpoint (0 = the transport's default IN or OUT);
 *   other transports ignore it.
 */
struct kioski_transport_ops {
	const char *name;
	enum kiosk_uri_scheme scheme;
	int (*open)(kioski_transport *t);
	void (*close)(kioski_transport *t);
	int (*read)(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		    int timeout_ms);
	int (*write)(kioski_transport *t, uint8_t ep, const void *buf, size_t len, int timeout_ms);
	/** Wakes a blocked read/write from another thread (optional; the core
	 *  also signals the transport's cancel fd, which poll-based backends watch). */
	void (*cancel)(kioski_transport *t);
	/** Drops buffered input without blocking (optional). */
	void (*discard_input)(kioski_transport *t);
	/** Changes the line rate in place (optional; serial only). */
	int (*set_baud)(kioski_transport *t, int baud);
};

struct kioski_transport {
	const struct kioski_transport_ops *ops;
	kiosk_context *ctx;
	kiosk_uri *uri;         /**< owned */
	int cancel_fd;          /**< eventfd; readable while cancelled — poll it with the I/O fd */
	int fd;                 /**< the I/O fd for fd-based backends, else -1 */
	void *priv;             /**< backend state */
	char component[16];     /**< log tag: "serial", "tcp", "usb", "file", "evdev" */
	/** Debug traces of this link's traffic show byte counts only, never the
	 *  bytes (they may be a name or an ID number), whatever KIOSK_DEBUG says.
	 *  A driver that knows its protocol may set this to describe the command
	 *  structure instead (never the text or data it carries). */
	kioski_trace_fn trace;
};

/** Opens the transport the URI names. Errors: KIOSK_E_NO_DEVICE, KIOSK_E_ACCESS,
 *  KIOSK_E_BUSY, KIOSK_E_TIMEOUT (tcp connect), KIOSK_E_BAD_URI, KIOSK_E_IO,
 *  with the context's last error set. */
int kioski_transport_open(kiosk_context *ctx, const kiosk_uri *uri, kioski_transport **out);
void kioski_transport_close(kioski_transport *t);

int kioski_transport_read(kioski_transport *t, void *buf, size_t len, size_t *got, int timeout_ms);
/** Reads exactly `len` bytes within `timeout_ms` overall. */
int kioski_transport_read_exact(kioski_transport *t, void *buf, size_t len, int timeout_ms);
int kioski_transport_write(kioski_transport *t, const void *buf, size_t len, int timeout_ms);
int kioski_transport_read_ep(kioski_transport *t, uint8_t ep, void *buf, size_t len,
			     size_t *got, int timeout_ms);
int kioski_transport_write_ep(kioski_transport *t, uint8_t ep, const void *buf, size_t len,
			      int timeout_ms);

/** Thread-safe: makes the blocked and every later read/write return
 *  KIOSK_E_CANCELLED until kioski_transport_clear_cancel(). */
void kioski_transport_cancel(kioski_transport *t);
void kioski_transport_clear_cancel(kioski_transport *t);
bool kioski_transport_cancelled(kioski_transport *t);
void kioski_transport_discard_input(kioski_transport *t);
/** Changes the line rate of an open serial transport (pending output is sent
 *  first, pending input dropped). KIOSK_E_NOT_SUPPORTED on other transports,
 *  KIOSK_E_INVALID_ARG for a rate the port cannot do. */
int kioski_transport_set_baud(kioski_transport *t, int baud);

/** Backend tables (defined in src/transport_*.c). */
extern const struct kioski_transport_ops kioski_transport_serial;
extern const struct kioski_transport_ops kioski_transport_tcp;
extern const struct kioski_transport_ops kioski_transport_file;
extern const struct kioski_transport_ops kioski_transport_usb;
extern const struct kioski_transport_ops kioski_transport_evdev;

/* ---- jobs ------------------------------------------------------------------ */

/** A new job with two references (the caller's and the library's). */
kiosk_job *kioski_job_new(kiosk_context *ctx, kiosk_job_fn cb, void *user);
void kioski_job_ref(kiosk_job *job);
/** Destroys a job that was never started (its submit failed): drops both
 *  references; no callback runs. */
void kioski_job_discard(kiosk_job *job);
void kioski_job_unref(kiosk_job *job);
void kioski_job_set_state(kiosk_job *job, enum kiosk_job_state state);
/** True once kiosk_job_cancel() was called. */
bool kioski_job_cancelled(kiosk_job *job);
/** Called (on the cancelling thread) when the job is cancelled, e.g. to cancel a
 *  transport. The worker sets one for every job it runs that cancels the
 *  device's transport only while that job is the one running. */
void kioski_job_set_cancel_hook(kiosk_job *job, void (*hook)(kiosk_job *job, void *arg),
				void *arg);
/** Attaches a result object, freed with `free_fn` when the job is freed. */
void kioski_job_set_payload(kiosk_job *job, void *payload, void (*free_fn)(void *));
void *kioski_job_get_payload(kiosk_job *job);
/** Takes the payload out (the job then holds none). */
void *kioski_job_take_payload(kiosk_job *job);
/** Takes the payload out only if it was attached with `free_fn` (i.e. is of
 *  that type); else NULL and the job keeps it. */
void *kioski_job_take_payload_of(kiosk_job *job, void (*free_fn)(void *));
/** The payload if it was attached with `free_fn` (i.e. is of that type), else NULL. */
void *kioski_job_get_payload_of(kiosk_job *job, void (*free_fn)(void *));
/** Records a print's progress (kiosk_job_get_bytes()) and, for a job about to
 *  fail, whether part of it may have printed (kiosk_job_get_partial()). */
void kioski_job_set_progress(kiosk_job *job, uint64_t written, uint64_t confirmed, uint64_t total,
			     enum kiosk_job_partial partial);
/**
 * Completes the job: sets result and message, wakes waiters, queues the
 * callback for dispatch and drops the library's reference. Only the first
 * call has effect; later calls are ignored (and logged as a bug).
 */
void kioski_job_complete(kiosk_job *job, int result, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- events ----------------------------------------------------------------- */

kiosk_event *kioski_event_new(enum kiosk_event_type type, kiosk_device *dev, const char *uri);
/** Attaches the payload returned by kiosk_event_get_idcard()/…_printer_status()/…_touch(). */
void kioski_event_set_payload(kiosk_event *ev, void *payload, void (*free_fn)(void *));
int kioski_event_set_scan(kiosk_event *ev, const char *code, size_t len);
void kioski_event_set_error(kiosk_event *ev, int err);
/** Queues the event for the application (thread-safe) and wakes the context fd. */
void kioski_post_event(kiosk_context *ctx, kiosk_event *ev);

/* ---- devices ------------------------------------------------------------------ */

struct kioski_driver;

typedef void (*kioski_work_fn)(kiosk_device *dev, kiosk_job *job, void *arg);
typedef void (*kioski_poll_fn)(kiosk_device *dev);

/**
 * The common part of every open device; family handles embed it as their
 * FIRST member so that (kiosk_device *)handle is valid.
 * Each device owns one worker thread that runs its jobs one at a time and,
 * when idle, its poll function.
 */
struct kiosk_device {
	kiosk_context *ctx;
	enum kiosk_device_class cls;
	const struct kioski_driver *driver;
	kiosk_uri *uri;            /**< owned */
	kioski_transport *transport; /**< opened by the front-end or driver; closed by kioski_device_fini */
	void *priv;                /**< the driver's state: set by its ops' open, freed by close */
	void *user_data;
	char last_error[256];      /**< written with kioski_device_fail()/_set_error() only
				     (under the context's error lock); the worker may read it */
	struct kioski_worker *worker; /**< core-private */
};

/** Fills the common part (copies the URI). */
int kioski_device_init(kiosk_device *dev, kiosk_context *ctx, enum kiosk_device_class cls,
		       const struct kioski_driver *driver, const kiosk_uri *uri);
/** Starts the worker thread. */
int kioski_device_start(kiosk_device *dev);
/** Stops the worker: cancels the transport, completes queued jobs with
 *  KIOSK_E_CANCELLED, joins. Safe if never started. */
void kioski_device_stop(kiosk_device *dev);
/** Releases the common part (closes the transport, drops queued events). Call after stop. */
void kioski_device_fini(kiosk_device *dev);
/** Queues `fn(dev, job, arg)` on the worker; fn must complete the job. */
int kioski_device_submit(kiosk_device *dev, kiosk_job *job, kioski_work_fn fn, void *arg);
/** Replaces the device's transport (e.g. a reopened link) and closes the old
 *  one, safely against a concurrent job cancel or device stop. Worker only. */
void kioski_device_swap_transport(kiosk_device *dev, kioski_transport *t);
/** Runs `fn` on the worker every `interval_ms` while no job runs; 0 disables. */
void kioski_device_set_poll(kiosk_device *dev, int interval_ms, kioski_poll_fn fn);
/** True when the worker is asked to stop (long operations check it). */
bool kioski_device_stopping(kiosk_device *dev);
/* ---- device state and link recovery ---------------------------------------------
 * The core keeps each device's state (kiosk_device_get_state()) and re-opens
 * a lost link in the background on the worker, between jobs, with bounded
 * exponential back-off. A family opts in with kioski_device_enable_relink();
 * its drivers report a failed link with kioski_device_link_lost() and, before
 * using the link, call kioski_device_relink() while kioski_device_link_down(). */

/** Run on the worker after a lost link was re-opened and swapped in (set a
 *  serial rate, reset protocol state, …). An error marks the link lost again. */
typedef int (*kioski_relink_fn)(kiosk_device *dev);
/** Turns background re-opening on for this device; `fn` may be NULL. */
void kioski_device_enable_relink(kiosk_device *dev, kioski_relink_fn fn);
/** Sets the state; on a change posts KIOSK_EVENT_DEVICE_STATE (with `err` when
 *  going OFFLINE) and logs it. Any thread. */
void kioski_device_set_state(kiosk_device *dev, enum kiosk_device_state state, int err);
/** The state a link that just opened gives: ONLINE where only the device can
 *  hold it (tcp, usb, evdev), else UNKNOWN until the device answers. */
void kioski_device_link_opened(kiosk_device *dev);
/** The device answered on its link: ONLINE. */
void kioski_device_answered(kiosk_device *dev);
/** Worker: the link failed with `err` (KIOSK_E_CLOSED, _NO_DEVICE, _IO): state
 *  OFFLINE, KIOSK_EVENT_DEVICE_LEFT once per loss, background re-open
 *  scheduled. The transport stays in place (a driver may still hold it) and
 *  is closed by the re-open. Returns true for the first report of a loss. */
bool kioski_device_link_lost(kiosk_device *dev, int err);
/** True while the link is lost and not yet re-opened. Any thread. */
bool kioski_device_link_down(kiosk_device *dev);
/** Worker: re-opens the lost link now: closes the old transport first (serial
 *  ports are exclusive), opens the URI again, runs the family's relink hook.
 *  KIOSK_OK (state set by the hook or kioski_device_link_opened()) or the
 *  error, with the next background attempt backed off. */
int kioski_device_relink(kiosk_device *dev);

/** Sets last_error (formatted), logs it at WARN under the driver's tag, returns `err`. */
int kioski_device_fail(kiosk_device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Sets last_error (formatted) without logging. */
void kioski_device_set_error(kiosk_device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- drivers and profiles ----------------------------------------------------- */

/** A USB id a driver claims, with the profile that describes that model (or NULL). */
struct kioski_usb_id {
	uint16_t vid, pid;
	const char *profile;
};

/** A driver's constant descriptor, `const struct kioski_driver kioski_driver_<id>`. */
struct kioski_driver {
	const char *id;            /**< short id: "samv", "escpos", … */
	const char *full_name;
	enum kiosk_device_class cls;
	unsigned features;         /**< family-specific KIOSKI_FEAT_* bits */
	const struct kioski_usb_id *usb_ids; /**< terminated by {0,0,NULL}; may be NULL */
	const void *ops;           /**< family ops table (see src/<family>-private.h) */
};

size_t kioski_driver_count(void);
const struct kioski_driver *kioski_driver_at(size_t i);
const struct kioski_driver *kioski_driver_find(const char *id);
/** First driver of the class claiming vid:pid (by its table or a profile); NULL if none. */
const struct kioski_driver *kioski_driver_for_usb(enum kiosk_device_class cls, uint16_t vid,
						  uint16_t pid);
/** The first registered driver of a class. */
const struct kioski_driver *kioski_driver_default(enum kiosk_device_class cls);

/**
 * Device profiles: JSON data files from hw/profiles/<family>/<name>.json
 * (a model's USB ids in "usb": ["VVVV:PPPP", …]),
 * compiled into the library; a file of the same name in the directory named
 * by $KIOSK_PROFILE_DIR (or kiosk_context_set_profile_dir()) takes precedence.
 * `family` is "printer", "idcard" or "scanner". Returns the JSON text
 * (caller frees) or NULL with KIOSK_E_NOT_FOUND.
 */
int kioski_profile_load(kiosk_context *ctx, const char *family, const char *name, char **json);
/** The name of the profile whose "usb" list holds vid:pid, or KIOSK_E_NOT_FOUND. */
int kioski_profile_for_usb(kiosk_context *ctx, const char *family, uint16_t vid, uint16_t pid,
			   char *name, size_t name_len);
/** Calls fn for every embedded profile (name, JSON text). */
void kioski_profile_foreach(const char *family,
			    void (*fn)(const char *name, const char *json, void *user), void *user);

#endif
