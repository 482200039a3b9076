/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk-app: the layout rules the tour checks on every screen. A good layout
 * passes; each kind of broken layout (cut text, text wider than its box,
 * text over a button, a label spilling out, overlapping buttons, a small
 * target, something off screen) is caught — so "0 problems" means something.
 */
#include "test.h"
#include "core.h"

#define BTN(id_, x_, y_, w_, h_) {x_, y_, w_, h_, w_, h_, KAPP_BOX_BUTTON, false, false, id_}
#define TXT(id_, x_, y_, w_, h_) {x_, y_, w_, h_, w_, h_, KAPP_BOX_TEXT, false, false, id_}
#define LBL(id_, x_, y_, w_, h_) {x_, y_, w_, h_, w_, h_, KAPP_BOX_LABEL, false, false, id_}

static int check(const struct kapp_box *b, size_t n, const char *want)
{
	char report[2048];
	int bad = kapp_layout_check(b, n, 1080, 1920, 60, report, sizeof report);
	if (want && !strstr(report, want)) {
		fprintf(stderr, "report lacks \"%s\":\n%s", want, report);
		test_failures++;
	}
	return bad;
}

int main(void)
{
	/* a good screen: a title, two buttons with their labels, a scroll area holding a card */
	const struct kapp_box good[] = {
		TXT("title", 40, 160, 600, 63),
		BTN("back", 20, 1782, 240, 100), LBL("◀ 返回", 60, 1810, 160, 42),
		BTN("home", 280, 1782, 240, 100), LBL("首页", 340, 1810, 120, 42),
		{40, 300, 1000, 800, 1000, 800, KAPP_BOX_AREA, false, false, "guide-scroll"},
		BTN("hit-0", 40, 300, 1000, 150), LBL("社会保障卡申领", 60, 312, 400, 42),
		/* a button half scrolled out of view: seen 30 px tall, laid out 150 */
		{40, 1070, 1000, 30, 1000, 150, KAPP_BOX_BUTTON, false, false, "hit-5"},
	};
	CHECK_EQ_INT(check(good, sizeof good / sizeof *good, NULL), 0);

	/* the landscape rating page of the report: 非常不满意 under the bottom bar's 返回 */
	const struct kapp_box rating[] = {
		BTN("rate-1", 40, 1000, 1840, 130), LBL("非常不满意", 800, 1040, 240, 42),
		BTN("back", 20, 942, 240, 100),
		BTN("rate-skip", 40, 1150, 1840, 96),
	};
	char report[2048];
	int bad = kapp_layout_check(rating, 4, 1920, 1080, 60, report, sizeof report);
	CHECK(bad >= 3);
	CHECK(strstr(report, "buttons \"rate-1\" and \"back\" overlap") != NULL);
	CHECK(strstr(report, "target \"rate-skip\" leaves the screen") != NULL);
	CHECK(strstr(report, "target \"rate-1\" leaves the screen") != NULL);

	/* a toast over a live button */
	const struct kapp_box toast[] = {
		BTN("print-checklist", 40, 1500, 1000, 96),
		TXT("打印完成，请取走凭条。", 120, 1490, 700, 84),
	};
	CHECK_EQ_INT(check(toast, 2, "text \"打印完成，请取走凭条。\" lies over button \"print-checklist\""), 1);

	/* text cut short and text wider than its box */
	struct kapp_box cut = TXT("可点选候选词", 40, 1262, 130, 36);
	cut.cut = true;
	CHECK_EQ_INT(check(&cut, 1, "text cut short: \"可点选候选词\""), 1);
	struct kapp_box wide = TXT("20261102010001", 40, 600, 400, 60);
	wide.overflow = true;
	CHECK_EQ_INT(check(&wide, 1, "wider than its box"), 1);

	/* a label spilling out of its button */
	const struct kapp_box spill[] = {
		BTN("rate-2", 40, 600, 300, 80), LBL("不满意 ★★", 50, 610, 340, 42),
	};
	CHECK_EQ_INT(check(spill, 2, "label \"不满意 ★★\" spills out of button \"rate-2\""), 1);

	/* small targets, both as buttons and areas */
	const struct kapp_box small[] = {
		BTN("key-Q", 40, 900, 58, 100),
		{40, 1100, 200, 40, 200, 40, KAPP_BOX_AREA, false, false, "number-box"},
	};
	CHECK_EQ_INT(check(small, 2, "target \"key-Q\" is 58x100 px (under 60)"), 2);

	/* text off screen */
	const struct kapp_box off[] = {TXT("idle 30", 1000, 1900, 200, 60)};
	CHECK_EQ_INT(check(off, 1, "leaves the screen"), 1);

	/* the report is cut, not overrun, when small; the count stays right */
	char tiny[24];
	CHECK_EQ_INT(kapp_layout_check(rating, 4, 1920, 1080, 60, tiny, sizeof tiny), bad);
	CHECK(strlen(tiny) < sizeof tiny);
	CHECK_EQ_INT(kapp_layout_check(rating, 4, 1920, 1080, 60, NULL, 0), bad);
	return test_done("app_layout");
}
