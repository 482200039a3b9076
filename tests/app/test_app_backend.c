/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: the local backend (demo store, rebasing) and the http backend
 * against a small HTTP server on loopback (contract of HTTP-API.md), with
 * 404, offline and timeout. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "test.h"
#include "core.h"

#define SALT "test-salt-1"
#define HOLDER "11010519491231002X"

static int srv_fd;
static int saw_clear_id;
static int requests;
static char holder_hash[65];

static const char *catalog =
	"{\"format\":\"libkiosk-guides/1\",\"hall\":{\"name\":\"测试中心\"},"
	"\"departments\":[{\"id\":\"ga\",\"name\":\"市公安局\",\"short\":\"公安\"}],"
	"\"guides\":[{\"code\":\"G1\",\"name\":\"不动产登记资料查询\",\"department\":\"市不动产登记中心\"},"
	"{\"code\":\"G2\",\"name\":\"居民身份证换领\",\"department\":\"市公安局\",\"dept_id\":\"ga\"}]}";

static const char *one_case =
	"{\"number\":\"20261102010001\",\"guide_name\":\"居民身份证换领\",\"state\":\"review\","
	"\"applicant\":{\"name\":\"张*\",\"id_mask\":\"110***********002X\",\"id_hash\":\"%s\"},"
	"\"received\":\"2026-11-02\",\"accepted\":\"2026-11-02\",\"limit\":{\"days\":20,\"unit\":\"natural\"},"
	"\"timeline\":[{\"state\":\"received\",\"time\":\"2026-11-02 09:00\",\"note\":\"收件\"}]}";

static void reply(int c, int status, const char *body)
{
	char head[256];
	snprintf(head, sizeof head,
		 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 status, strlen(body));
	if (write(c, head, strlen(head)) < 0 || write(c, body, strlen(body)) < 0)
		return;
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(srv_fd, NULL, NULL);
		if (c < 0)
			return NULL;
		char req[4096] = "";
		ssize_t n = read(c, req, sizeof req - 1);
		if (n <= 0) {
			close(c);
			continue;
		}
		req[n] = 0;
		requests++;
		if (strstr(req, HOLDER) || strstr(req, "19491231"))
			saw_clear_id = 1;
		char path[512] = "";
		sscanf(req, "GET %511s", path);
		char body[4096];
		if (!strcmp(path, "/api/v1/meta")) {
			reply(c, 200, "{\"id_salt\":\"" SALT "\",\"hash\":\"hmac-sha256\"}");
		} else if (!strcmp(path, "/api/v1/guides")) {
			reply(c, 200, catalog);
		} else if (!strcmp(path, "/api/v1/cases/20261102010001")) {
			char cs[2048];
			snprintf(cs, sizeof cs, one_case, holder_hash);
			snprintf(body, sizeof body, "{\"case\":%s}", cs);
			reply(c, 200, body);
		} else if (!strncmp(path, "/api/v1/cases?holder=", 21)) {
			char cs[2048];
			snprintf(cs, sizeof cs, one_case, holder_hash);
			snprintf(body, sizeof body, "{\"cases\":[%s]}", !strcmp(path + 21, holder_hash) ? cs : "");
			reply(c, 200, body);
		} else if (!strcmp(path, "/api/v1/cases/99999999999999")) {
			reply(c, 404, "{\"error\":\"not found\"}");
		} else {
			reply(c, 500, "{}");
		}
		close(c);
	}
}

static int listen_any(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static void test_local(void)
{
	char err[256];
	int asof = kapp_day_parse("2026-11-24");
	struct kapp_backend *b = kapp_backend_local_new(KAPP_TEST_DATA, asof, err, sizeof err);
	struct kapp_catalog *cat = NULL;
	CHECK_EQ_INT(b->load_catalog(b, &cat, err, sizeof err), KAPP_OK);
	CHECK(cat && cat->n >= 60);
	kapp_catalog_free(cat);
	/* every state is present, at least 300 cases */
	char *text = kapp_read_file(KAPP_TEST_DATA "/cases.json", NULL);
	cJSON *root = cJSON_Parse(text);
	free(text);
	cJSON *arr = cJSON_GetObjectItem(root, "cases");
	CHECK(cJSON_GetArraySize(arr) >= 300);
	int per_state[KAPP_N_STATES] = {0};
	char number[40] = "", received[16] = "";
	cJSON *c;
	cJSON_ArrayForEach(c, arr) {
		int k = kapp_state_from_key(cJSON_GetObjectItem(c, "state")->valuestring);
		CHECK(k >= 0);
		if (k >= 0)
			per_state[k]++;
		if (!number[0] && k == KAPP_SUPPLEMENT) {
			snprintf(number, sizeof number, "%s", cJSON_GetObjectItem(c, "number")->valuestring);
			snprintf(received, sizeof received, "%s", cJSON_GetObjectItem(c, "received")->valuestring);
		}
		/* never an ID number in clear */
		char *s = cJSON_PrintUnformatted(c);
		CHECK(strstr(s, "100101199003070028") == NULL);
		free(s);
	}
	cJSON_Delete(root);
	for (int k = 0; k < KAPP_N_STATES; k++)
		CHECK(per_state[k] >= 10);
	struct kapp_case *kc = NULL;
	CHECK_EQ_INT(b->case_by_number(b, number, &kc, err, sizeof err), KAPP_OK);
	CHECK(kc && kc->state == KAPP_SUPPLEMENT && kc->n_missing >= 1 && kc->n_susp == 1);
	CHECK(kc && kc->received == kapp_day_parse(received));
	kapp_case_free(kc);
	CHECK_EQ_INT(b->case_by_number(b, "99999999999999", &kc, err, sizeof err), KAPP_NOT_FOUND);
	kapp_backend_free(b);
	/* "rebase": "week": 10 days later, every date moves by one whole week */
	b = kapp_backend_local_new(KAPP_TEST_DATA, asof + 10, err, sizeof err);
	CHECK_EQ_INT(b->case_by_number(b, number, &kc, err, sizeof err), KAPP_OK);
	CHECK(kc && kc->received == kapp_day_parse(received) + 7);
	CHECK(kc && kapp_weekday(kc->received) < 5);
	kapp_case_free(kc);
	kapp_backend_free(b);
	/* a missing data dir is an error, not a crash */
	b = kapp_backend_local_new("/nonexistent", asof, err, sizeof err);
	CHECK(b->load_catalog(b, &cat, err, sizeof err) != KAPP_OK);
	CHECK(b->case_by_number(b, number, &kc, err, sizeof err) == KAPP_E_OFFLINE);
	kapp_backend_free(b);
}

int main(void)
{
	test_local();
	kapp_id_hash(SALT, HOLDER, holder_hash);
	int port;
	srv_fd = listen_any(&port);
	CHECK(srv_fd >= 0);
	pthread_t th;
	pthread_create(&th, NULL, server, NULL);
	char url[128], err[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/", port);
	struct kapp_backend *b = kapp_backend_http_new(url, "tok", NULL, 5000, err, sizeof err);
	CHECK(b != NULL);
	struct kapp_catalog *cat = NULL;
	CHECK_EQ_INT(b->load_catalog(b, &cat, err, sizeof err), KAPP_OK);
	CHECK(cat && cat->n == 2);
	kapp_catalog_free(cat);
	struct kapp_case *c = NULL;
	CHECK_EQ_INT(b->case_by_number(b, "20261102010001", &c, err, sizeof err), KAPP_OK);
	CHECK(c && c->state == KAPP_REVIEW && !c->limit.working && c->limit.days == 20);
	kapp_case_free(c);
	CHECK_EQ_INT(b->case_by_number(b, "99999999999999", &c, err, sizeof err), KAPP_NOT_FOUND);
	CHECK_EQ_INT(b->case_by_number(b, "../../etc", &c, err, sizeof err), KAPP_NOT_FOUND);
	struct kapp_case **v = NULL;
	size_t n = 0;
	CHECK_EQ_INT(b->cases_by_holder(b, HOLDER, &v, &n, err, sizeof err), KAPP_OK);
	CHECK_EQ_INT(n, 1);
	kapp_case_list_free(v, n);
	CHECK_EQ_INT(b->cases_by_holder(b, "100101199003070028", &v, &n, err, sizeof err), KAPP_OK);
	CHECK_EQ_INT(n, 0);
	kapp_case_list_free(v, n);
	CHECK(!saw_clear_id); /* only the salted hash went over the wire */
	CHECK(requests >= 5);
	kapp_backend_free(b);

	/* offline: nothing listens */
	int dead_port;
	int dead = listen_any(&dead_port);
	close(dead);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port);
	b = kapp_backend_http_new(url, NULL, "s", 2000, err, sizeof err);
	CHECK_EQ_INT(b->case_by_number(b, "20261102010001", &c, err, sizeof err), KAPP_E_OFFLINE);
	CHECK(err[0] != 0);
	/* the error (logged, shown in maintenance) never carries the holder hash */
	struct kapp_case **hv = NULL;
	size_t hn = 0;
	CHECK_EQ_INT(b->cases_by_holder(b, HOLDER, &hv, &hn, err, sizeof err), KAPP_E_OFFLINE);
	CHECK(strstr(err, "/v1/cases") != NULL);
	CHECK(strstr(err, holder_hash) == NULL && strstr(err, "holder=") == NULL);
	kapp_backend_free(b);
	/* timeout: a server that accepts nothing and never answers */
	int mute_port;
	int mute = listen_any(&mute_port);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", mute_port);
	b = kapp_backend_http_new(url, NULL, "s", 700, err, sizeof err);
	CHECK_EQ_INT(b->load_catalog(b, &cat, err, sizeof err), KAPP_E_OFFLINE);
	kapp_backend_free(b);
	close(mute);
	CHECK(kapp_backend_http_new("ftp://x", NULL, NULL, 100, err, sizeof err) == NULL);
	shutdown(srv_fd, SHUT_RDWR);
	close(srv_fd);
	pthread_join(th, NULL);
	return test_done("app_backend");
}
