/* kiosk/touch.h — placeholder: the family's issue fills this header. */
#ifndef KIOSK_TOUCH_H
#define KIOSK_TOUCH_H
#include <kiosk/common.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
KIOSK_BEGIN_DECLS
typedef struct kiosk_touch kiosk_touch;
KIOSK_END_DECLS
#endif
