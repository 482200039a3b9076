/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt.c — the receipt model and its C builder. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include "driver.h"
#include "printer/receipt_private.h"

const uint16_t kioski_qr_capacity[4][40] = {
	{17, 32, 53, 78, 106, 134, 154, 192, 230, 271,
	 321, 367, 425, 458, 520, 586, 644, 718, 792, 858,
	 929, 1003, 1091, 1171, 1273, 1367, 1465, 1528, 1628, 1732,
	 1840, 1952, 2068, 2188, 2303, 2431, 2563, 2699, 2809, 2953},
	{14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
	 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
	 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370,
	 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331},
	{11, 20, 32, 46, 60, 74, 86, 108, 130, 151,
	 177, 203, 241, 258, 292, 322, 364, 394, 442, 482,
	 509, 565, 611, 661, 715, 751, 805, 868, 908, 982,
	 1030, 1112, 1168, 1228, 1283, 1351, 1423, 1499, 1579, 1663},
	{7, 14, 24, 34, 44, 58, 64, 84, 98, 119,
	 137, 155, 177, 194, 220, 250, 280, 310, 338, 382,
	 403, 439, 461, 511, 535, 593, 625, 658, 698, 742,
	 790, 842, 898, 958, 983, 1051, 1093, 1139, 1219, 1273},
};

int kioski_qr_ecc_index(char ecc)
{
	switch (ecc) {
	case 'L': return 0;
	case 'M': return 1;
	case 'Q': return 2;
	case 'H': return 3;
	default: return -1;
	}
}

int kioski_qr_version_for(size_t len, int ecc_index)
{
	if (ecc_index < 0 || ecc_index > 3)
		return 0;
	for (int v = 0; v < 40; v++)
		if (len <= kioski_qr_capacity[ecc_index][v])
			return v + 1;
	return 0;
}

/* ---- PNG ----------------------------------------------------------------------- */

int kioski_png_decode_gray(const void *png, size_t len, int *w, int *h, uint8_t **pixels,
			   char *err, size_t err_len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	*pixels = NULL;
	if (!png_image_begin_read_from_memory(&img, png, len)) {
		snprintf(err, err_len, "not a readable PNG (%s)", img.message);
		png_image_free(&img);
		return KIOSK_E_BAD_DOCUMENT;
	}
	if (img.width < 1 || img.height < 1 || img.width > KIOSK_RECEIPT_MAX_IMAGE ||
	    img.height > KIOSK_RECEIPT_MAX_IMAGE) {
		snprintf(err, err_len, "image is %ux%u, the limit is %dx%d", img.width, img.height,
			 KIOSK_RECEIPT_MAX_IMAGE, KIOSK_RECEIPT_MAX_IMAGE);
		png_image_free(&img);
		return KIOSK_E_BAD_DOCUMENT;
	}
	img.format = PNG_FORMAT_GRAY;
	uint8_t *buf = malloc((size_t)img.width * img.height);
	if (!buf) {
		png_image_free(&img);
		return KIOSK_E_NO_MEMORY;
	}
	png_color white = {255, 255, 255};
	if (!png_image_finish_read(&img, &white, buf, 0, NULL)) {
		snprintf(err, err_len, "corrupt PNG (%s)", img.message);
		free(buf);
		png_image_free(&img);
		return KIOSK_E_BAD_DOCUMENT;
	}
	*w = (int)img.width;
	*h = (int)img.height;
	*pixels = buf;
	return KIOSK_OK;
}

int kioski_png_encode_gray(int w, int h, const uint8_t *pixels, uint8_t **png, size_t *len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_GRAY;
	png_alloc_size_t size = 0;
	*png = NULL;
	if (!png_image_write_to_memory(&img, NULL, &size, 0, pixels, 0, NULL))
		return KIOSK_E_NO_MEMORY;
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return KIOSK_E_NO_MEMORY;
	if (!png_image_write_to_memory(&img, buf, &size, 0, pixels, 0, NULL)) {
		free(buf);
		return KIOSK_E_NO_MEMORY;
	}
	*png = buf;
	*len = size;
	return KIOSK_OK;
}

/* ---- model ------------------------------------------------------------------------- */

static int fail(kiosk_receipt *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(kiosk_receipt *r, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	return err;
}

KIOSK_API int kiosk_receipt_new(kiosk_receipt **out)
{
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = calloc(1, sizeof **out);
	return *out ? KIOSK_OK : KIOSK_E_NO_MEMORY;
}

static void wipe_str(char *s)
{
	if (s) {
		kioski_wipe(s, strlen(s));
		free(s);
	}
}

static void item_free(struct kioski_receipt_item *it)
{
	wipe_str(it->text);
	wipe_str(it->text2);
	free(it->source);
	if (it->pixels) {
		kioski_wipe(it->pixels, (size_t)it->w * it->h);
		free(it->pixels);
	}
}

KIOSK_API void kiosk_receipt_free(kiosk_receipt *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		item_free(&r->items[i]);
	free(r->items);
	free(r->profile);
	free(r);
}

KIOSK_API const char *kiosk_receipt_last_error(const kiosk_receipt *r)
{
	return r ? r->error : "no receipt";
}

KIOSK_API int kiosk_receipt_set_profile(kiosk_receipt *r, const char *name)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	char *copy = NULL;
	if (name) {
		if (!name[0] || strlen(name) >= 64 || strpbrk(name, "/\\"))
			return fail(r, KIOSK_E_INVALID_ARG, "profile name must be 1..63 characters without '/'");
		if (!(copy = strdup(name)))
			return KIOSK_E_NO_MEMORY;
	}
	free(r->profile);
	r->profile = copy;
	return KIOSK_OK;
}

KIOSK_API const char *kiosk_receipt_get_profile(const kiosk_receipt *r)
{
	return r ? r->profile : NULL;
}

/* A new zeroed item at the end, or NULL with the error set. */
static struct kioski_receipt_item *push(kiosk_receipt *r, enum kiosk_receipt_item_type type, int *err)
{
	if (r->n >= KIOSK_RECEIPT_MAX_ITEMS) {
		*err = fail(r, KIOSK_E_OVERFLOW, "a receipt holds at most %d items", KIOSK_RECEIPT_MAX_ITEMS);
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		void *p = realloc(r->items, cap * sizeof *r->items);
		if (!p) {
			*err = KIOSK_E_NO_MEMORY;
			return NULL;
		}
		r->items = p;
		r->cap = cap;
	}
	struct kioski_receipt_item *it = &r->items[r->n];
	memset(it, 0, sizeof *it);
	it->type = type;
	return it;
}

static int check_text(kiosk_receipt *r, const char *what, const char *s)
{
	if (!s)
		return fail(r, KIOSK_E_INVALID_ARG, "%s is NULL", what);
	size_t len = strlen(s);
	if (len > KIOSK_RECEIPT_MAX_TEXT)
		return fail(r, KIOSK_E_INVALID_ARG, "%s is longer than %d bytes", what, KIOSK_RECEIPT_MAX_TEXT);
	long bad = kiosk_utf8_invalid_at(s, len);
	if (bad >= 0)
		return fail(r, KIOSK_E_INVALID_ARG, "%s is not valid UTF-8 (byte %ld)", what, bad);
	return KIOSK_OK;
}

static int check_style(kiosk_receipt *r, const struct kiosk_text_style *st, struct kiosk_text_style *out)
{
	struct kiosk_text_style s = {.size = sizeof s, .align = KIOSK_ALIGN_LEFT, .width = 1, .height = 1};
	if (st) {
		/* 1.0's fields end at `height`; a later caller's struct may be longer. */
		if (st->size < offsetof(struct kiosk_text_style, height) + sizeof st->height)
			return fail(r, KIOSK_E_INVALID_ARG,
				    "style: size is not set (use KIOSK_TEXT_STYLE_INIT)");
		if ((unsigned)st->align > KIOSK_ALIGN_RIGHT)
			return fail(r, KIOSK_E_INVALID_ARG, "align must be left, center or right");
		if (st->width > KIOSK_RECEIPT_MAX_SIZE || st->height > KIOSK_RECEIPT_MAX_SIZE)
			return fail(r, KIOSK_E_INVALID_ARG, "size must be 1..%d", KIOSK_RECEIPT_MAX_SIZE);
		s.align = st->align;
		s.bold = st->bold;
		s.width = st->width ? st->width : 1;
		s.height = st->height ? st->height : 1;
	}
	*out = s;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_text(kiosk_receipt *r, const char *utf8,
				     const struct kiosk_text_style *style)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	struct kiosk_text_style st;
	int err = check_text(r, "text", utf8);
	if (err || (err = check_style(r, style, &st)))
		return err;
	char *copy = strdup(utf8);
	if (!copy)
		return KIOSK_E_NO_MEMORY;
	struct kioski_receipt_item *it = push(r, KIOSK_ITEM_TEXT, &err);
	if (!it) {
		free(copy);
		return err;
	}
	it->style = st;
	it->text = copy;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_qr(kiosk_receipt *r, const char *data, int module, char ecc)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	if (!data)
		return fail(r, KIOSK_E_INVALID_ARG, "QR data is NULL");
	size_t len = strlen(data);
	int ei = kioski_qr_ecc_index(ecc);
	if (len < 1 || len > KIOSK_RECEIPT_MAX_QR)
		return fail(r, KIOSK_E_INVALID_ARG, "QR data must be 1..%d bytes", KIOSK_RECEIPT_MAX_QR);
	if (module < 1 || module > 16)
		return fail(r, KIOSK_E_INVALID_ARG, "QR module size must be 1..16");
	if (ei < 0)
		return fail(r, KIOSK_E_INVALID_ARG, "QR error correction must be L, M, Q or H");
	if (!kioski_qr_version_for(len, ei))
		return fail(r, KIOSK_E_INVALID_ARG, "%zu bytes do not fit a QR code at error correction %c (max %u)",
			    len, ecc, kioski_qr_capacity[ei][39]);
	char *copy = strdup(data);
	int err;
	if (!copy)
		return KIOSK_E_NO_MEMORY;
	struct kioski_receipt_item *it = push(r, KIOSK_ITEM_QR, &err);
	if (!it) {
		free(copy);
		return err;
	}
	it->text = copy;
	it->text_len = len;
	it->module = module;
	it->ecc = ecc;
	it->align = KIOSK_ALIGN_CENTER;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_set_last_align(kiosk_receipt *r, enum kiosk_align align)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	if ((unsigned)align > KIOSK_ALIGN_RIGHT)
		return fail(r, KIOSK_E_INVALID_ARG, "align must be left, center or right");
	if (!r->n || (r->items[r->n - 1].type != KIOSK_ITEM_QR && r->items[r->n - 1].type != KIOSK_ITEM_IMAGE))
		return fail(r, KIOSK_E_STATE, "the last item is not a QR code or image");
	r->items[r->n - 1].align = align;
	return KIOSK_OK;
}

int kioski_receipt_add_image_owned(kiosk_receipt *r, int w, int h, uint8_t *pixels,
				   const char *source)
{
	int err;
	char *src = NULL;
	if ((size_t)w * h > KIOSK_RECEIPT_MAX_IMAGE_PIXELS - r->image_pixels) {
		free(pixels);
		return fail(r, KIOSK_E_OVERFLOW, "the receipt's images would exceed %d pixels together",
			    KIOSK_RECEIPT_MAX_IMAGE_PIXELS);
	}
	if (source && !(src = strdup(source))) {
		free(pixels);
		return KIOSK_E_NO_MEMORY;
	}
	struct kioski_receipt_item *it = push(r, KIOSK_ITEM_IMAGE, &err);
	if (!it) {
		free(src);
		free(pixels);
		return err;
	}
	it->w = w;
	it->h = h;
	it->pixels = pixels;
	it->source = src;
	it->align = KIOSK_ALIGN_CENTER;
	r->image_pixels += (size_t)w * h;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_image_png_data(kiosk_receipt *r, const void *png, size_t len)
{
	if (!r || !png)
		return KIOSK_E_INVALID_ARG;
	int w, h, err;
	uint8_t *px;
	char msg[160];
	if ((err = kioski_png_decode_gray(png, len, &w, &h, &px, msg, sizeof msg)))
		return fail(r, err, "%s", msg);
	return kioski_receipt_add_image_owned(r, w, h, px, NULL);
}

/* Reads a whole file (at most `max` bytes). */
static int read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *msg,
		     size_t msg_len)
{
	/* Regular files only: a device or FIFO named in a document must not block or stream forever. */
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(msg, msg_len, "cannot open '%s': %s", path, strerror(e));
		return e == ENOENT || e == ENOTDIR ? KIOSK_E_NOT_FOUND : KIOSK_E_IO;
	}
	struct stat stt;
	if (fstat(fd, &stt) || !S_ISREG(stt.st_mode)) {
		close(fd);
		snprintf(msg, msg_len, "'%s' is not a regular file", path);
		return KIOSK_E_BAD_DOCUMENT;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return KIOSK_E_NO_MEMORY;
	}
	size_t cap = 65536, n = 0;
	uint8_t *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= max) {
			fclose(f);
			free(buf);
			snprintf(msg, msg_len, "'%s' is larger than %zu bytes", path, max);
			return KIOSK_E_BAD_DOCUMENT;
		}
		cap *= 2;
		uint8_t *p = realloc(buf, cap + 1);
		if (!p)
			free(buf);
		buf = p;
	}
	int rd_err = ferror(f);
	fclose(f);
	if (!buf)
		return KIOSK_E_NO_MEMORY;
	if (rd_err) {
		free(buf);
		snprintf(msg, msg_len, "cannot read '%s'", path);
		return KIOSK_E_IO;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return KIOSK_OK;
}

int kioski_read_whole_file(const char *path, size_t max, uint8_t **data, size_t *len, char *msg,
			   size_t msg_len)
{
	return read_file(path, max, data, len, msg, msg_len);
}

KIOSK_API int kiosk_receipt_add_image_png(kiosk_receipt *r, const char *path)
{
	if (!r || !path)
		return KIOSK_E_INVALID_ARG;
	uint8_t *data, *px;
	size_t len;
	int w, h, err;
	char msg[200];
	if ((err = read_file(path, 64u << 20, &data, &len, msg, sizeof msg)))
		return fail(r, err, "%s", msg);
	err = kioski_png_decode_gray(data, len, &w, &h, &px, msg, sizeof msg);
	free(data);
	if (err)
		return fail(r, err, "'%s': %s", path, msg);
	return kioski_receipt_add_image_owned(r, w, h, px, path);
}

KIOSK_API int kiosk_receipt_add_image_gray(kiosk_receipt *r, int w, int h, const uint8_t *pixels)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	if (!pixels || w < 1 || h < 1 || w > KIOSK_RECEIPT_MAX_IMAGE || h > KIOSK_RECEIPT_MAX_IMAGE)
		return fail(r, KIOSK_E_INVALID_ARG, "image must be 1..%d pixels each way", KIOSK_RECEIPT_MAX_IMAGE);
	uint8_t *copy = malloc((size_t)w * h);
	if (!copy)
		return KIOSK_E_NO_MEMORY;
	memcpy(copy, pixels, (size_t)w * h);
	return kioski_receipt_add_image_owned(r, w, h, copy, NULL);
}

KIOSK_API int kiosk_receipt_add_feed(kiosk_receipt *r, int lines)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	if (lines < 0 || lines > 255)
		return fail(r, KIOSK_E_INVALID_ARG, "feed must be 0..255 lines");
	int err;
	struct kioski_receipt_item *it = push(r, KIOSK_ITEM_FEED, &err);
	if (!it)
		return err;
	it->lines = lines;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_rule(kiosk_receipt *r)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	int err;
	if (!push(r, KIOSK_ITEM_RULE, &err))
		return err;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_columns(kiosk_receipt *r, const char *left, const char *right,
					const struct kiosk_text_style *style)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	struct kiosk_text_style st;
	int err = check_text(r, "left column", left);
	if (err || (err = check_text(r, "right column", right)) || (err = check_style(r, style, &st)))
		return err;
	st.align = KIOSK_ALIGN_LEFT;
	char *l = strdup(left), *rt = strdup(right);
	struct kioski_receipt_item *it = l && rt ? push(r, KIOSK_ITEM_COLUMNS, &err) : NULL;
	if (!it) {
		free(l);
		free(rt);
		return l && rt ? err : KIOSK_E_NO_MEMORY;
	}
	it->style = st;
	it->text = l;
	it->text2 = rt;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_add_cut(kiosk_receipt *r, bool partial)
{
	if (!r)
		return KIOSK_E_INVALID_ARG;
	int err;
	struct kioski_receipt_item *it = push(r, KIOSK_ITEM_CUT, &err);
	if (!it)
		return err;
	it->partial = partial;
	r->n++;
	return KIOSK_OK;
}

KIOSK_API size_t kiosk_receipt_item_count(const kiosk_receipt *r)
{
	return r ? r->n : 0;
}

KIOSK_API enum kiosk_receipt_item_type kiosk_receipt_item_type(const kiosk_receipt *r, size_t i)
{
	return r && i < r->n ? r->items[i].type : 0;
}

KIOSK_API const char *kiosk_receipt_item_text(const kiosk_receipt *r, size_t i)
{
	if (!r || i >= r->n)
		return NULL;
	switch (r->items[i].type) {
	case KIOSK_ITEM_TEXT:
	case KIOSK_ITEM_QR:
	case KIOSK_ITEM_COLUMNS:
		return r->items[i].text;
	default:
		return NULL;
	}
}
