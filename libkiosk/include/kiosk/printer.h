/* kiosk/printer.h — placeholder: the family's issue fills this header. */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H
#include <kiosk/common.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
KIOSK_BEGIN_DECLS
typedef struct kiosk_printer kiosk_printer;
KIOSK_END_DECLS
#endif
