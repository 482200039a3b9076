/* kiosk/idcard.h — placeholder: the family's issue fills this header. */
#ifndef KIOSK_IDCARD_H
#define KIOSK_IDCARD_H
#include <kiosk/common.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
KIOSK_BEGIN_DECLS
typedef struct kiosk_idcard_reader kiosk_idcard_reader;
KIOSK_END_DECLS
#endif
