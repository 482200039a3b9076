/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_preview.h — drawing a layout as the printer would put it on paper. */
#ifndef KIOSKI_RECEIPT_PREVIEW_H
#define KIOSKI_RECEIPT_PREVIEW_H

#include "printer/receipt_layout.h"

/** Draws the layout into 8-bit grey pixels (255 paper, 0 ink, 128 cut marks),
 *  width = profile width in dots. *pixels is malloc'ed. */
int kioski_preview_draw(const struct kioski_layout *l, int *w, int *h, uint8_t **pixels);

#endif
