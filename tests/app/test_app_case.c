/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: dates, working days with holidays and 调休, case deadlines with
 * suspensions (补正/挂起 not counted), states, case numbers from scans. */
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "test.h"
#include "core.h"

static int D(const char *s)
{
	return kapp_day_parse(s);
}

int main(void)
{
	/* dates */
	CHECK_EQ_INT(D("1970-01-01"), 0);
	CHECK_EQ_INT(D("2026-11-24") - D("2026-11-23"), 1);
	CHECK_EQ_INT(D("2024-03-01") - D("2024-02-28"), 2); /* leap year */
	CHECK_EQ_INT(D("2026-02-30"), -1);
	CHECK_EQ_INT(D("2026-13-01"), -1);
	CHECK_EQ_INT(D("20261124"), -1);
	char buf[11];
	kapp_day_format(D("2026-01-05"), buf);
	CHECK_STR(buf, "2026-01-05");
	CHECK_EQ_INT(kapp_weekday(D("2026-11-24")), 1); /* a Tuesday */
	CHECK_EQ_INT(kapp_weekday(D("2026-11-29")), 6); /* a Sunday */

	/* calendar: 2026-10-01..07 off, 2026-10-10 (Saturday) a make-up working day */
	struct kapp_calendar cal;
	char err[200];
	const char *json = "{\"holidays\":[\"2026-10-01\",\"2026-10-02\",\"2026-10-05\",\"2026-10-06\",\"2026-10-07\"],"
			   "\"workdays\":[\"2026-10-10\"]}";
	CHECK_EQ_INT(kapp_calendar_from_json(&cal, json, err, sizeof err), KAPP_OK);
	CHECK(!kapp_is_working_day(&cal, D("2026-10-01")));
	CHECK(kapp_is_working_day(&cal, D("2026-10-09")));
	CHECK(kapp_is_working_day(&cal, D("2026-10-10")));  /* Saturday, but 调休 */
	CHECK(!kapp_is_working_day(&cal, D("2026-10-11"))); /* Sunday */
	CHECK(!kapp_is_working_day(NULL, D("2026-11-28")));
	CHECK(kapp_is_working_day(NULL, D("2026-11-27")));
	struct kapp_calendar bad;
	CHECK_EQ_INT(kapp_calendar_from_json(&bad, "{\"holidays\":[\"2026-10-32\"]}", err, sizeof err), KAPP_E_DATA);
	CHECK(strstr(err, "holidays[0]") != NULL);
	/* the bundled table parses */
	struct kapp_calendar real;
	CHECK_EQ_INT(kapp_calendar_load(&real, KAPP_TEST_DATA "/holidays.json", err, sizeof err), KAPP_OK);
	CHECK(real.n_holidays > 40);
	CHECK(!kapp_is_working_day(&real, D("2026-02-17"))); /* Spring Festival */
	kapp_calendar_free(&real);

	/* counting (from, to] */
	CHECK_EQ_INT(kapp_count_days(NULL, true, D("2026-11-20"), D("2026-11-27"), NULL, 0), 5);
	CHECK_EQ_INT(kapp_count_days(NULL, false, D("2026-11-20"), D("2026-11-27"), NULL, 0), 7);
	CHECK_EQ_INT(kapp_count_days(&cal, true, D("2026-09-30"), D("2026-10-12"), NULL, 0), 4); /* 8, 9, 10, 12 */

	/* a promised case: accepted Mon 2026-11-02, 10 working days → due Mon 11-16 */
	struct kapp_case c;
	memset(&c, 0, sizeof c);
	snprintf(c.number, sizeof c.number, "20261102010001");
	c.state = KAPP_REVIEW;
	c.accepted = D("2026-11-02");
	c.received = c.accepted;
	c.limit.days = 10;
	c.limit.working = true;
	struct kapp_deadline d;
	kapp_case_deadline(&c, NULL, D("2026-11-09"), &d);
	CHECK(d.applies && !d.finished && !d.paused);
	CHECK_EQ_INT(d.due, D("2026-11-16"));
	CHECK_EQ_INT(d.used, 5);
	CHECK_EQ_INT(d.remaining, 5);
	kapp_case_deadline(&c, NULL, D("2026-11-18"), &d);
	CHECK_EQ_INT(d.remaining, -2); /* overdue by 2 working days */

	/* a closed suspension (补正 from Wed 11-04 until Mon 11-09) is not counted:
	 * 11-04, 11-05, 11-06 are 3 suspended working days → due moves to Thu 11-19 */
	struct kapp_suspension s[2] = {{D("2026-11-04"), D("2026-11-09"), "补齐补正"}, {0, 0, NULL}};
	c.susp = s;
	c.n_susp = 1;
	kapp_case_deadline(&c, NULL, D("2026-11-09"), &d);
	CHECK_EQ_INT(d.due, D("2026-11-19"));
	CHECK_EQ_INT(d.used, 2);      /* 11-03, then 11-09 after resuming */
	CHECK_EQ_INT(d.suspended, 3); /* 11-04, 11-05, 11-06 */
	CHECK_EQ_INT(d.remaining, 8);
	/* an open suspension (挂起) stops the clock: no due date, remaining frozen */
	c.state = KAPP_SUSPENDED;
	s[0].to = -1;
	kapp_case_deadline(&c, NULL, D("2026-11-30"), &d);
	CHECK(d.paused);
	CHECK_EQ_INT(d.due, -1);
	CHECK_EQ_INT(d.used, 1); /* only 11-03 ran before the suspension */
	CHECK_EQ_INT(d.remaining, 9);

	/* finished: the clock stops at the decision */
	struct kapp_step steps[2] = {{KAPP_ACCEPTED, "2026-11-02 09:00", NULL}, {KAPP_DECIDED, "2026-11-06 15:00", NULL}};
	c.steps = steps;
	c.n_steps = 2;
	c.state = KAPP_COMPLETED;
	c.n_susp = 0;
	kapp_case_deadline(&c, NULL, D("2026-12-30"), &d);
	CHECK(d.finished);
	CHECK_EQ_INT(d.finished_day, D("2026-11-06"));
	CHECK_EQ_INT(d.used, 4);
	CHECK_EQ_INT(d.remaining, 6);

	/* holidays push the due date; natural days ignore them */
	c.state = KAPP_REVIEW;
	c.n_steps = 0;
	c.accepted = D("2026-09-30");
	c.limit.days = 4;
	kapp_case_deadline(&c, &cal, D("2026-10-01"), &d);
	CHECK_EQ_INT(d.due, D("2026-10-12"));
	c.limit.working = false;
	kapp_case_deadline(&c, &cal, D("2026-10-01"), &d);
	CHECK_EQ_INT(d.due, D("2026-10-04"));

	/* no deadline before acceptance, after rejection, for on-the-spot cases */
	c.state = KAPP_REJECTED;
	kapp_case_deadline(&c, &cal, D("2026-10-01"), &d);
	CHECK(!d.applies);
	c.state = KAPP_REVIEW;
	c.accepted = -1;
	kapp_case_deadline(&c, &cal, D("2026-10-01"), &d);
	CHECK(!d.applies);

	/* states */
	CHECK_EQ_INT(kapp_state_from_key("supplement"), KAPP_SUPPLEMENT);
	CHECK_EQ_INT(kapp_state_from_key("nope"), -1);
	CHECK_STR(kapp_state_label(KAPP_DELIVERED), "送达");
	CHECK_STR(kapp_state_label(KAPP_REJECTED), "不予受理");

	/* case numbers: exactly 14 digits */
	CHECK(kapp_case_number_valid("20261102010001"));
	CHECK(!kapp_case_number_valid("2026110201000"));
	CHECK(!kapp_case_number_valid("202611020100011"));
	CHECK(!kapp_case_number_valid("2026110201000a"));
	CHECK(!kapp_case_number_valid(""));
	/* scanned codes: only this hall's case QR (configured prefixes) or the bare number */
	const char *pre = "https://zwfw.example.gov.cn/case?no= https://old.example.gov.cn/q/";
	char n[40];
	CHECK(kapp_case_number_from_scan("https://zwfw.example.gov.cn/case?no=20261102010001\r\n", pre, n,
					 sizeof n));
	CHECK_STR(n, "20261102010001");
	CHECK(kapp_case_number_from_scan("https://old.example.gov.cn/q/20261102010009", pre, n, sizeof n));
	CHECK_STR(n, "20261102010009");
	CHECK(kapp_case_number_from_scan("20261102010002", pre, n, sizeof n));
	CHECK_STR(n, "20261102010002");
	static const char *const foreign[] = {
		"https://qr.alipay.com/fkx12345?t=13800138000",     /* a payment link with a phone number */
		"https://pay.example.com/p?tel=13800138000&no=20261102010001",
		"https://zwfw.other-city.gov.cn/case?no=20261102010001", /* another site's case */
		"http://zwfw.example.gov.cn/case?no=20261102010001",     /* not the configured scheme */
		"https://zwfw.example.gov.cn/case?no=2026110201000",     /* 13 digits */
		"https://zwfw.example.gov.cn/case?no=20261102010001&x=1", /* more after the number */
		"https://zwfw.example.gov.cn/case?no=20261102010001.evil.com",
		"办件编号:20261102010009", "13800138000", "KIOSK-CASE:2026-000123", "", "WIFI:S:hall;T:WPA;;",
	};
	for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
		if (kapp_case_number_from_scan(foreign[i], pre, n, sizeof n)) {
			fprintf(stderr, "accepted a foreign code: %s\n", foreign[i]);
			test_failures++;
		}
	}
	CHECK(!kapp_case_number_from_scan("https://zwfw.example.gov.cn/case?no=20261102010001", "", n,
					  sizeof n));
	CHECK(!kapp_case_number_from_scan("20261102010001", pre, n, 10)); /* no room */

	/* 好差评: five levels, reasons for poor ones, one per case, a 0600 queue */
	char dir[] = "/tmp/kapp-rating-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 2, 0), KAPP_E_ARG);       /* no reason */
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 5, 1), KAPP_E_ARG);       /* reason for 非常满意 */
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 0, 0), KAPP_E_ARG);
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 1, 1u << KAPP_N_REASONS), KAPP_E_ARG);
	CHECK_EQ_INT(kapp_rating_store(dir, "2026\"x", 5, 0), KAPP_E_ARG);
	CHECK(!kapp_rating_given(dir, "20261102010001"));
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 1, (1u << 1) | (1u << 3)), KAPP_OK);
	CHECK(kapp_rating_given(dir, "20261102010001"));
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010001", 5, 0), KAPP_E_DUPLICATE);
	CHECK_EQ_INT(kapp_rating_store(dir, "20261102010002", 4, 0), KAPP_OK);
	char qpath[200];
	snprintf(qpath, sizeof qpath, "%s/%s", dir, KAPP_RATINGS_QUEUE);
	struct stat st;
	CHECK(stat(qpath, &st) == 0 && (st.st_mode & 0777) == 0600);
	size_t qlen = 0;
	char *q = kapp_read_file(qpath, &qlen);
	CHECK(q != NULL);
	if (q) {
		char *nl = strchr(q, '\n');
		CHECK(nl != NULL);
		if (nl)
			*nl = 0;
		cJSON *o = cJSON_Parse(q);
		CHECK(o != NULL);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "case")), "20261102010001");
		CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "level")), 1);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "label")), "非常不满意");
		cJSON *rs = cJSON_GetObjectItem(o, "reasons");
		CHECK_EQ_INT(cJSON_GetArraySize(rs), 2);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(rs, 0)), kapp_rating_reasons[1]);
		CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "reason_ids"), 1)), 4);
		const char *tm = cJSON_GetStringValue(cJSON_GetObjectItem(o, "time"));
		CHECK(tm && kapp_day_parse(tm) > 0 && strchr(tm, 'T'));
		cJSON_Delete(o);
		CHECK(nl && strstr(nl + 1, "\"level\":4") && strstr(nl + 1, "\"reasons\":[]"));
		free(q);
	}
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);

	kapp_calendar_free(&cal);
	return test_done("app_case");
}
