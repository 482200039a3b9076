# SPDX-License-Identifier: LGPL-2.1-or-later
"""kioskd end to end in a real browser: Debian's chromium (headless, through
selenium and chromium-driver) opens the demo page of bindings/js, reads the
emulated ID card and prints a QR receipt; the printed page is read back with
zbar. Also the JS client's promise rejections, from the page's origin."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import CARDS, ROOT, TOKEN_DEVICES

selenium = pytest.importorskip("selenium", reason="python3-selenium is needed (tests/deps.sh)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

JS_DIR = os.path.join(ROOT, "bindings", "js")
sys.path.insert(0, os.path.join(ROOT, "tests", "common"))
from headless_chromium import chromium, static_server  # noqa: E402


@pytest.fixture
def web():
    with static_server(JS_DIR) as url:
        yield url


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path) as b:
        yield b


def text_of(b, elem_id):
    return b.find_element(By.ID, elem_id).text


def zbar(png: str) -> str:
    r = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sqrcode.enable=1", png],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, f"no QR code found in {png}"
    return r.stdout.decode().strip()


def test_demo_reads_card_and_prints_qr_receipt(daemon, web, browser):
    d = daemon(idcard=["--card", os.path.join(CARDS, "resident.json")], printer=[],
               extra=["--origin", web])
    browser.get(f"{web}/demo/index.html?server={d.url}&token={TOKEN_DEVICES}")
    wait = WebDriverWait(browser, 60)
    wait.until(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    assert text_of(browser, "conn") == "已连接"
    browser.find_element(By.ID, "read").click()
    wait.until(lambda b: text_of(b, "card-name") != "—")
    assert text_of(browser, "card-name") == "韩*梅"           # masked: no pii right
    assert text_of(browser, "card-id") == "1001**********0028"
    browser.find_element(By.ID, "print").click()
    wait.until(lambda b: text_of(b, "print-result") != "—")
    assert text_of(browser, "print-result") == "已打印", text_of(browser, "message")
    case_no = text_of(browser, "case-no")
    assert d.receipts() == ["receipt-0001.png"]
    assert zbar(os.path.join(d.out, "receipt-0001.png")) == f"KIOSK-CASE:{case_no}"
    txt = open(os.path.join(d.out, "receipt-0001.txt"), encoding="utf-8").read()
    assert "韩*梅" in txt and "韩梅梅" not in txt


def test_js_client_rejections(daemon, web, browser):
    d = daemon(idcard=["--no-card"], extra=["--origin", web])
    browser.get(f"{web}/demo/index.html?server={d.url}&token={TOKEN_DEVICES}")
    WebDriverWait(browser, 60).until(
        lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    codes = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const [url, token] = [arguments[0], arguments[1]];
        import('/kiosk-client.mjs').then(async ({ KioskClient }) => {
          const k = await KioskClient.connect(url, { token });
          const code = (p) => p.then(() => 'resolved', (e) => e.code);
          const out = {
            photo: await code(k.readIdCard({ photo: true })),
            noCard: await code(k.readIdCard({ timeout: 500 })),
            noDevice: await code(k.printerStatus()),
            scan: await code(k.scan({ timeout: 500 })),
            status: (await k.status()).devices.map((x) => x.class),
          };
          let badToken;
          try { await KioskClient.connect(url, { token: 'nope' }); badToken = 'connected'; }
          catch (e) { badToken = e.code; }
          out.badToken = badToken;
          k.close();
          done(out);
        }).catch((e) => done({ error: String(e) }));
    """, d.url, TOKEN_DEVICES)
    assert codes == {"photo": "unauthorized", "noCard": "noCard", "noDevice": "noDevice",
                     "scan": "noDevice", "status": ["idcard"], "badToken": "connectionFailed"}
