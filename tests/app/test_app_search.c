/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: pinyin initials table and guide search over the demo catalog. */
#include "test.h"
#include "core.h"

static int find_name(const struct kapp_catalog *cat, const uint32_t *hits, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cat->guides[hits[i]].name, name))
			return (int)i;
	return -1;
}

int main(void)
{
	/* the generated table covers the common characters */
	CHECK(kapp_pinyin_table_size() > 20000);
	CHECK(kapp_pinyin_mask(0x4E0D /* 不 */) & (1u << ('b' - 'a')));
	CHECK(kapp_pinyin_mask(0x52A8 /* 动 */) == (1u << ('d' - 'a')));
	uint32_t hang = kapp_pinyin_mask(0x884C /* 行: xing / hang */);
	CHECK(hang & (1u << ('x' - 'a')));
	CHECK(hang & (1u << ('h' - 'a')));
	CHECK(kapp_pinyin_mask('Q') == (1u << ('q' - 'a')));
	CHECK(kapp_pinyin_mask('5') == 0);

	char err[256] = "";
	struct kapp_catalog *cat = NULL;
	int rc = kapp_catalog_load(KAPP_TEST_DATA "/guides.json", &cat, err, sizeof err);
	if (rc)
		fprintf(stderr, "%s\n", err);
	CHECK_EQ_INT(rc, KAPP_OK);
	if (!cat)
		return test_done("app_search");
	CHECK(cat->n >= 60);
	CHECK(cat->n_depts >= 10);
	struct kapp_search *s = kapp_search_new(cat);
	CHECK(s != NULL);
	uint32_t hits[512];
	size_t total = 0;

	/* BDC finds 不动产登记 guides, and the name-initial ones come first */
	size_t n = kapp_search_run(s, "BDC", NULL, NULL, hits, 512, &total);
	CHECK(n >= 5);
	CHECK(n == total);
	for (size_t i = 0; i < n && i < 5; i++)
		CHECK(strstr(cat->guides[hits[i]].name, "不动产") != NULL);
	CHECK(find_name(cat, hits, n, "不动产抵押登记") >= 0);
	/* lower case and spaces are the same query */
	size_t n2 = kapp_search_run(s, "b d c", NULL, NULL, hits, 512, NULL);
	CHECK_EQ_INT(n2, n);
	/* Chinese text */
	n = kapp_search_run(s, "护照", NULL, NULL, hits, 512, NULL);
	CHECK(n >= 1);
	CHECK(find_name(cat, hits, n, "普通护照签发") == 0);
	/* keyword hit ranks after name hits: 社保卡 is a keyword and in names */
	n = kapp_search_run(s, "sbk", NULL, NULL, hits, 512, NULL);
	CHECK(n >= 2);
	CHECK(strstr(cat->guides[hits[0]].name, "社会保障卡") || strstr(cat->guides[hits[0]].name, "社保"));
	/* mixed: initials then characters */
	n = kapp_search_run(s, "gjj提取", NULL, NULL, hits, 512, NULL);
	CHECK(n == 0 || strstr(cat->guides[hits[0]].name, "提取"));
	n = kapp_search_run(s, "公积金提取", NULL, NULL, hits, 512, NULL);
	CHECK(n >= 2); /* a keyword of the two withdrawal guides */
	CHECK(strstr(cat->guides[hits[0]].name, "提取住房公积金") != NULL);
	CHECK_EQ_INT(kapp_search_run(s, "护照公积金", NULL, NULL, hits, 512, NULL), 0);
	n = kapp_search_run(s, "提取住房公积金", NULL, NULL, hits, 512, NULL);
	CHECK(n >= 2);
	/* nothing */
	CHECK_EQ_INT(kapp_search_run(s, "zzzzzzzz", NULL, NULL, hits, 512, NULL), 0);
	/* empty query lists everything; department filter */
	CHECK_EQ_INT(kapp_search_run(s, "", NULL, NULL, hits, 512, NULL), cat->n);
	n = kapp_search_run(s, "", "bdc", NULL, hits, 512, NULL);
	CHECK(n >= 5);
	for (size_t i = 0; i < n; i++)
		CHECK_STR(cat->guides[hits[i]].dept_id, "bdc");
	CHECK_EQ_INT(kapp_search_run(s, "", "no-such-dept", NULL, hits, 512, NULL), 0);
	n = kapp_search_run(s, "", NULL, "婚姻登记", hits, 512, NULL);
	CHECK(n >= 2);
	/* max limits output but not total */
	n = kapp_search_run(s, "", NULL, NULL, hits, 3, &total);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(total, cat->n);

	/* What visitors type: the service they mean must be the FIRST result.
	 * The first five were reported missing (held out while tuning). */
	static const struct {
		const char *query, *first; /* the first hit's name contains `first` */
	} want[] = {
		{"GJJ", "公积金"}, {"QYBG", "企业变更"}, {"YDJYBA", "异地就医备案"},
		{"SYBXJ", "失业保险金"}, {"DKZZS", "代开增值税"},
		/* full pinyin, its prefixes and mixes with initials */
		{"gongjijin", "公积金"}, {"gongj", "公积金"}, {"gongjij", "公积金"}, {"gjjin", "公积金"},
		{"budongchan", "不动产"}, {"budongc", "不动产"}, {"bdchan", "不动产"},
		{"qiyebiangeng", "企业变更"}, {"yidijiuyi", "异地就医"}, {"shiyebaoxian", "失业保险"},
		{"daikai", "代开增值税"}, {"huzhao", "护照"}, {"jiehun", "结婚"}, {"lihun", "离婚"},
		{"zhuxiao", "注销"}, {"dibao", "最低生活保障"}, {"shebaoka", "社会保障卡"},
		{"jiazhao", "驾驶证"}, {"JZ", "驾驶证"}, {"geshui", "个人所得税"}, {"GS", "个人所得税"},
		{"SFZ", "居民身份证"}, {"shenfenzheng", "居民身份证"}, {"SBK", "社会保障卡"},
		{"shebao", "社会保障卡"}, {"YB", "医"}, {"yibao", "医"}, {"JHDJ", "结婚登记"},
		{"BDCDY", "不动产抵押"}, {"ESF", "二手房"}, {"HZ", "换"}, {"wangyueche", "网络预约出租汽车"},
		{"fapiao", "发票"}, {"QS", "契税"}, {"TXZ", "通行证"}, {"zhuanxue", "转学"},
		{"jiaoshizige", "教师资格"}, {"LH", "离婚"}, {"ZX", "注销"},
		/* aliases from the catalog data: what people say for the names' terms */
		{"社保卡", "社会保障卡"}, {"驾照", "驾驶证"}, {"驾照换证", "驾驶证换证"}, {"身份证", "居民身份证"},
		{"医保", "医"}, {"公积金", "公积金"}, {"房产证", "不动产权证书"}, {"过户", "转移登记"},
		{"个税", "个人所得税"}, {"失业金", "失业保险金"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		n = kapp_search_run(s, want[i].query, NULL, NULL, hits, 512, NULL);
		if (!n || !strstr(cat->guides[hits[0]].name, want[i].first)) {
			fprintf(stderr, "query %s: first hit %s, want one with %s\n", want[i].query,
				n ? cat->guides[hits[0]].name : "(none)", want[i].first);
			test_failures++;
		}
	}
	/* every GJJ hit is a 公积金 guide, the popular withdrawal first */
	n = kapp_search_run(s, "GJJ", NULL, NULL, hits, 512, NULL);
	CHECK(n >= 6);
	CHECK_STR(cat->guides[hits[0]].name, "购买自住住房提取住房公积金");
	/* a loose match (申报 for "shebao": she cut from shen mid-word) ranks after strict ones */
	n = kapp_search_run(s, "shebao", NULL, NULL, hits, 512, NULL);
	int qs = find_name(cat, hits, n, "契税申报");
	CHECK(qs > 0);
	CHECK(find_name(cat, hits, n, "社会保障卡挂失补换") < qs);
	/* rare classical readings do not match: 抵押 is di ya, not zhi xia
	 * (its department, 不动产登记中心, does hold zx) */
	n = kapp_search_run(s, "zx", NULL, NULL, hits, 512, NULL);
	CHECK(find_name(cat, hits, n, "企业简易注销登记") < find_name(cat, hits, n, "不动产抵押登记"));
	CHECK_EQ_INT(kapp_search_run(s, "dzdj", NULL, NULL, hits, 512, NULL), 0);
	/* nonsense finds nothing */
	CHECK_EQ_INT(kapp_search_run(s, "qqqqqq", NULL, NULL, hits, 512, NULL), 0);
	CHECK_EQ_INT(kapp_search_run(s, "gongjijinx", NULL, NULL, hits, 512, NULL), 0);

	/* the popular list comes from the catalog, most asked for first */
	n = kapp_catalog_popular(cat, hits, 512);
	CHECK(n >= 8);
	CHECK_STR(cat->guides[hits[0]].name, "社会保障卡申领");
	for (size_t i = 0; i < n; i++)
		CHECK_EQ_INT(cat->guides[hits[i]].popular, (int)i + 1);
	CHECK(cat->n_aliases >= 5);

	/* IME candidates from the catalog's words */
	const char *words[16];
	n = kapp_search_words(s, "bdc", words, 16);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(words[i], "不动产");
	CHECK(found);
	CHECK_EQ_INT(kapp_search_words(s, "不", words, 16), 0);
	n = kapp_search_words(s, "gongji", words, 16);
	found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(words[i], "公积金");
	CHECK(found);
	n = kapp_search_words(s, "jiaz", words, 16); /* an alias word */
	found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(words[i], "驾照");
	CHECK(found);

	kapp_search_free(s);
	kapp_catalog_free(cat);

	/* malformed catalogs are refused with a path in the message */
	const char *bad = "{\"format\":\"libkiosk-guides/1\",\"guides\":[{\"code\":\"x\"}]}";
	CHECK_EQ_INT(kapp_catalog_parse(bad, strlen(bad), &cat, err, sizeof err), KAPP_E_DATA);
	CHECK(strstr(err, "guides[0].name") != NULL);
	CHECK(cat == NULL);
	const char *bad2 = "{\"format\":\"other\",\"guides\":[]}";
	CHECK_EQ_INT(kapp_catalog_parse(bad2, strlen(bad2), &cat, err, sizeof err), KAPP_E_DATA);
	const char *bad3 = "{\"format\":\"libkiosk-guides/1\",\"guides\":[{\"code\":\"x\",\"name\":\"n\","
			   "\"department\":\"d\",\"legal_limit\":{\"days\":-4}}]}";
	CHECK_EQ_INT(kapp_catalog_parse(bad3, strlen(bad3), &cat, err, sizeof err), KAPP_E_DATA);
	CHECK(strstr(err, "legal_limit.days") != NULL);
	/* aliases and the popular list are checked too */
	const char *bad4 = "{\"format\":\"libkiosk-guides/1\",\"guides\":[],\"aliases\":[{\"word\":\"x\"}]}";
	CHECK_EQ_INT(kapp_catalog_parse(bad4, strlen(bad4), &cat, err, sizeof err), KAPP_E_DATA);
	CHECK(strstr(err, "aliases[0]") != NULL);
	const char *bad5 = "{\"format\":\"libkiosk-guides/1\",\"guides\":[],\"popular\":[\"nope\"]}";
	CHECK_EQ_INT(kapp_catalog_parse(bad5, strlen(bad5), &cat, err, sizeof err), KAPP_E_DATA);
	CHECK(strstr(err, "popular[0]") && strstr(err, "nope"));
	return test_done("app_search");
}
