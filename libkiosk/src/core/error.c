/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.c — names and descriptions of the error codes. */
#include "driver.h"

static const struct {
	int code;
	const char *name;
	const char *text;
} errors[] = {
	{KIOSK_OK, "KIOSK_OK", "Success"},
	{KIOSK_E_INVALID_ARG, "KIOSK_E_INVALID_ARG", "Invalid argument"},
	{KIOSK_E_NO_MEMORY, "KIOSK_E_NO_MEMORY", "Out of memory"},
	{KIOSK_E_IO, "KIOSK_E_IO", "Input/output error"},
	{KIOSK_E_TIMEOUT, "KIOSK_E_TIMEOUT", "Operation timed out"},
	{KIOSK_E_NO_DEVICE, "KIOSK_E_NO_DEVICE", "No such device (not found or unplugged)"},
	{KIOSK_E_BUSY, "KIOSK_E_BUSY", "Device or resource busy"},
	{KIOSK_E_ACCESS, "KIOSK_E_ACCESS", "Permission denied"},
	{KIOSK_E_PROTOCOL, "KIOSK_E_PROTOCOL", "Protocol error"},
	{KIOSK_E_CHECKSUM, "KIOSK_E_CHECKSUM", "Checksum error"},
	{KIOSK_E_CANCELLED, "KIOSK_E_CANCELLED", "Operation cancelled"},
	{KIOSK_E_CLOSED, "KIOSK_E_CLOSED", "Connection closed by peer"},
	{KIOSK_E_NOT_SUPPORTED, "KIOSK_E_NOT_SUPPORTED", "Operation not supported by the device"},
	{KIOSK_E_BAD_URI, "KIOSK_E_BAD_URI", "Malformed device URI"},
	{KIOSK_E_NOT_FOUND, "KIOSK_E_NOT_FOUND", "Not found"},
	{KIOSK_E_BAD_DOCUMENT, "KIOSK_E_BAD_DOCUMENT", "Malformed document"},
	{KIOSK_E_NO_CARD, "KIOSK_E_NO_CARD", "No card on the reader"},
	{KIOSK_E_CARD, "KIOSK_E_CARD", "Card could not be read"},
	{KIOSK_E_SAM, "KIOSK_E_SAM", "Security module (SAM) error"},
	{KIOSK_E_PAPER_OUT, "KIOSK_E_PAPER_OUT", "Printer is out of paper"},
	{KIOSK_E_COVER_OPEN, "KIOSK_E_COVER_OPEN", "Printer cover is open"},
	{KIOSK_E_OFFLINE, "KIOSK_E_OFFLINE", "Printer is offline"},
	{KIOSK_E_CUTTER, "KIOSK_E_CUTTER", "Auto-cutter error"},
	{KIOSK_E_OVERFLOW, "KIOSK_E_OVERFLOW", "Data too large"},
	{KIOSK_E_STATE, "KIOSK_E_STATE", "Not valid in the current state"},
	{KIOSK_E_DECODER, "KIOSK_E_DECODER", "External decoder missing or failed"},
};

const char *kiosk_error_name(int err)
{
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].code == err)
			return errors[i].name;
	return "KIOSK_E_UNKNOWN";
}

const char *kiosk_strerror(int err)
{
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].code == err)
			return errors[i].text;
	return "Unknown error";
}
