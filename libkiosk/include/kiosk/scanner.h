/* kiosk/scanner.h — placeholder: the family's issue fills this header. */
#ifndef KIOSK_SCANNER_H
#define KIOSK_SCANNER_H
#include <kiosk/common.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
KIOSK_BEGIN_DECLS
typedef struct kiosk_scanner kiosk_scanner;
KIOSK_END_DECLS
#endif
