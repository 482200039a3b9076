/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profiles: embedded ones load, a directory overrides them, names are checked. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "driver.h"

struct count {
	int n;
	int with_usb;
};

static void count_fn(const char *name, const char *json, void *user)
{
	struct count *c = user;
	c->n++;
	if (strstr(json, "\"usb\""))
		c->with_usb++;
}

int main(void)
{
	kiosk_context *ctx = test_context();
	char *json = NULL;
	struct count c = {0};
	kioski_profile_foreach(NULL, count_fn, &c);
	fprintf(stderr, "%d embedded profiles, %d with USB ids\n", c.n, c.with_usb);

	CHECK_RC(kioski_profile_load(ctx, "printer", "../../etc/passwd", &json), KIOSK_E_INVALID_ARG);
	CHECK_RC(kioski_profile_load(ctx, "printer", "no-such-profile", &json), KIOSK_E_NOT_FOUND);
	CHECK(strstr(kiosk_context_last_error(ctx), "no-such-profile") != NULL);

	/* An override directory wins over the built-in table. */
	char dir[] = "/tmp/kiosk-profiles-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256];
	snprintf(path, sizeof path, "%s/scanner", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/scanner/test-override.json", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"name\": \"test-override\", \"usb\": [\"1234:abcd\"]}", f);
	fclose(f);
	CHECK_RC(kioski_profile_load(ctx, "scanner", "test-override", &json), KIOSK_E_NOT_FOUND);
	CHECK_RC(kiosk_context_set_profile_dir(ctx, dir), KIOSK_OK);
	CHECK_RC(kioski_profile_load(ctx, "scanner", "test-override", &json), KIOSK_OK);
	CHECK(json && strstr(json, "1234:abcd"));
	free(json);
	json = NULL;
	CHECK_RC(kiosk_context_set_profile_dir(ctx, NULL), KIOSK_OK);
	setenv("KIOSK_PROFILE_DIR", dir, 1);
	CHECK_RC(kioski_profile_load(ctx, "scanner", "test-override", &json), KIOSK_OK);
	free(json);
	unsetenv("KIOSK_PROFILE_DIR");
	unlink(path);
	snprintf(path, sizeof path, "%s/scanner", dir);
	rmdir(path);

	/* A printer profile naming a driver of another family does not get it. */
	snprintf(path, sizeof path, "%s/printer", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/printer/generic-80mm.json", dir);
	f = fopen(path, "w");
	fputs("{\"name\": \"generic-80mm\", \"driver\": \"samv\", \"usb\": [\"1234:abce\"]}", f);
	fclose(f);
	setenv("KIOSK_PROFILE_DIR", dir, 1);
	const struct kioski_driver *pd = kioski_driver_for_usb(KIOSK_CLASS_PRINTER, 0x1234, 0xabce);
	CHECK(pd != NULL && pd->cls == KIOSK_CLASS_PRINTER);
	unsetenv("KIOSK_PROFILE_DIR");
	unlink(path);
	snprintf(path, sizeof path, "%s/printer", dir);
	rmdir(path);
	rmdir(dir);

	/* The registry lists drivers with ids and classes. */
	for (size_t i = 0; i < kiosk_driver_count(); i++) {
		const char *id, *name;
		enum kiosk_device_class cls;
		CHECK_RC(kiosk_driver_info(i, &id, &name, &cls), KIOSK_OK);
		CHECK(kioski_driver_find(id) == kioski_driver_at(i));
		CHECK(strcmp(kiosk_device_class_name(cls), "unknown") != 0);
	}
	CHECK_RC(kiosk_driver_info(kiosk_driver_count(), NULL, NULL, NULL), KIOSK_E_INVALID_ARG);
	CHECK(kioski_driver_find("no-such-driver") == NULL);
	kiosk_context_free(ctx);
	return test_done("test_profiles");
}
