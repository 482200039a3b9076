/* kiosk/receipt.h — placeholder: the family's issue fills this header. */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H
#include <kiosk/common.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
KIOSK_BEGIN_DECLS
KIOSK_END_DECLS
#endif
