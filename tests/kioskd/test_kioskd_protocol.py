# SPDX-License-Identifier: LGPL-2.1-or-later
"""kioskd protocol: every command end to end on emulated devices, events,
cancellation, timeouts, queues, many clients, a client leaving mid-print."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from conftest import (CARDS, TOKEN_ADMIN, TOKEN_DEVICES, TOKEN_PII, Client, check_shape, run)

RECEIPT = {"items": [{"text": "受理回执", "align": "center", "bold": True, "size": 2},
                     {"columns": ["办件编号", "2026-000123"]},
                     {"qr": "KIOSK-CASE:2026-000123", "module": 6, "ecc": "M"},
                     {"cut": "full"}]}
# ~3 KB of ESC/POS: seconds on a link of 300 bytes/s
LONG = {"items": [{"text": f"line {i:02d} of a long receipt for the slow link test"}
                  for i in range(60)] + [{"cut": "full"}]}


def wait_for(pred, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def test_every_command(daemon):
    d = daemon(idcard=["--card", os.path.join(CARDS, "resident.json")], printer=[],
               scanner=["--stdin", "--delay", "0"], verbose=2)

    async def go():
        c = await Client.connect(d.url)
        st = check_shape(await c.call("Common.Status"), "Common.Status")
        devs = {x["class"]: x for x in st["payload"]["devices"]}
        assert set(devs) == {"idcard", "printer", "scanner"}
        for x in devs.values():
            assert x["state"] in ("online", "offline", "busy", "unknown")
            assert x["uri"]
        card = check_shape(await c.call("IdCard.Read", {"photo": False}, timeout=10000),
                           "IdCard.Read")["payload"]
        assert card["card_type"] == "resident"
        assert card["name"] == "韩*梅" and card["id_number"] == "1001**********0028"
        assert "photo_wlt" not in card
        ps = check_shape(await c.call("Printer.Status"), "Printer.Status")["payload"]
        assert ps == {"paper": "ok", "coverOpen": False, "online": True}
        check_shape(await c.call("Printer.Print", {"document": RECEIPT}), "Printer.Print")
        assert d.receipts() == ["receipt-0001.png"]
        rid = await c.send("Scanner.Read", timeout=10000)
        await asyncio.sleep(0.3)
        d.sims["scanner"].send("KIOSK-CASE:2026-000777")
        done = check_shape(await c.finish(rid), "Scanner.Read")
        assert done["payload"] == {"code": "KIOSK-CASE:2026-000777"}
        check_shape(await c.call("Common.Cancel", {"requestIds": []}), "Common.Cancel")
        unk = check_shape(await c.call("Vendor.Frobnicate"), "Vendor.Frobnicate",
                          "unsupportedCommand")
        assert "errorDescription" in unk["header"]
        await c.close()
    run(go())


def test_pii_token_unmasked_and_photo(daemon):
    d = daemon(idcard=["--card", os.path.join(CARDS, "resident.json")])

    async def go():
        c = await Client.connect(d.url, token=TOKEN_PII)
        card = check_shape(await c.call("IdCard.Read", {"photo": True}), "IdCard.Read")["payload"]
        assert card["name"] == "韩梅梅" and card["id_number"] == "100101199003070028"
        assert len(card["photo_wlt"]) > 1000
        await c.close()
        c = await Client.connect(d.url, token=TOKEN_DEVICES)
        msgs = await c.finish(await c.send("IdCard.Read", {"photo": True}))
        assert len(msgs) == 1 and msgs[0]["header"]["status"] == "unauthorized"
        card = check_shape(await c.call("IdCard.Read"), "IdCard.Read")["payload"]
        assert card["address"] != "测试省样例市虚构区演示路1号模拟小区2栋3单元401室"
        await c.close()
    run(go())


def test_card_events_and_read_waits_for_card(daemon):
    d = daemon(idcard=["--no-card"])

    async def go():
        c = await Client.connect(d.url)
        other = await Client.connect(d.url)
        rid = await c.send("IdCard.Read", timeout=15000)
        await asyncio.sleep(0.5)
        d.sims["idcard"].send("place " + os.path.join(CARDS, "hk_macau_taiwan.json"))
        card = check_shape(await c.finish(rid), "IdCard.Read")["payload"]
        assert card["card_type"] == "hk_macau_taiwan"
        # while the card stays, a second read answers at once with the same card
        again = check_shape(await c.call("IdCard.Read", timeout=3000), "IdCard.Read")["payload"]
        assert again == card
        d.sims["idcard"].send("remove")
        for cl in (c, other):
            ev = await cl.wait_unsolicited("IdCard.CardRemoved")
            assert ev["header"]["type"] == "unsolicited"
        d.sims["idcard"].send("place " + os.path.join(CARDS, "resident.json"))
        for cl in (c, other):
            ev = await cl.wait_unsolicited("IdCard.CardInserted")
            assert "name" not in ev["payload"]  # no personal data in broadcasts
        card = check_shape(await c.call("IdCard.Read", timeout=3000), "IdCard.Read")["payload"]
        assert card["card_type"] == "resident"
        await c.close()
        await other.close()
    run(go())


def test_no_card_and_timeouts(daemon):
    d = daemon(idcard=["--no-card"], printer=["--slow", "300"], scanner=["--stdin"])

    async def go():
        c = await Client.connect(d.url)
        t0 = time.monotonic()
        done = check_shape(await c.call("IdCard.Read", timeout=800), "IdCard.Read", "noCard")
        assert time.monotonic() - t0 < 5
        assert done["header"]["errorDescription"]
        t0 = time.monotonic()
        check_shape(await c.call("Scanner.Read", timeout=700), "Scanner.Read", "timeout")
        assert 0.5 < time.monotonic() - t0 < 5
        # a slow link: the print cannot finish in 1.5 s, it is cancelled as timed out
        t0 = time.monotonic()
        check_shape(await c.call("Printer.Print", {"document": LONG}, timeout=1500),
                    "Printer.Print", "timeout")
        assert time.monotonic() - t0 < 8
        # the printer is free again afterwards (once the slow link has drained what it
        # had taken: status requests queue behind those bytes)
        for _ in range(6):
            done = check_shape(await c.call("Printer.Status", timeout=20000, wait=40),
                               "Printer.Status", None)
            if done["header"]["completionCode"] == "success":
                break
            assert done["header"]["completionCode"] == "timeout", done
        assert done["header"]["completionCode"] == "success", done
        await c.close()
    run(go())


def test_cancel_running_and_queued(daemon):
    d = daemon(scanner=["--stdin"])

    async def go():
        c = await Client.connect(d.url)
        a = await c.send("Scanner.Read", timeout=60000)
        b = await c.send("Scanner.Read", timeout=60000)   # queued behind a
        await asyncio.sleep(0.3)
        check_shape(await c.call("Common.Cancel", {"requestIds": [b]}), "Common.Cancel")
        check_shape(await c.finish(b), "Scanner.Read", "canceled")
        check_shape(await c.call("Common.Cancel", {"requestIds": [a]}), "Common.Cancel")
        check_shape(await c.finish(a, 10), "Scanner.Read", "canceled")
        # cancel everything of the connection
        x = await c.send("Scanner.Read", timeout=60000)
        y = await c.send("Scanner.Read", timeout=60000)
        check_shape(await c.call("Common.Cancel"), "Common.Cancel")
        check_shape(await c.finish(x, 10), "Scanner.Read", "canceled")
        check_shape(await c.finish(y, 10), "Scanner.Read", "canceled")
        # another connection's commands are not touched
        o = await Client.connect(d.url)
        z = await o.send("Scanner.Read", timeout=60000)
        await asyncio.sleep(0.2)
        check_shape(await c.call("Common.Cancel", {"requestIds": [z]}), "Common.Cancel")
        d.sims["scanner"].send("CODE-42")
        assert check_shape(await o.finish(z), "Scanner.Read")["payload"]["code"] == "CODE-42"
        await c.close()
        await o.close()
    run(go())


def test_queue_order_and_devices_in_parallel(daemon):
    d = daemon(printer=[], scanner=["--stdin"])

    async def go():
        a = await Client.connect(d.url)
        b = await Client.connect(d.url)
        scan = await a.send("Scanner.Read", timeout=30000)
        ids = []
        for i in range(3):
            doc = {"items": [{"text": f"receipt {i + 1}"}, {"cut": "full"}]}
            ids.append(await b.send("Printer.Print", {"document": doc}))
        order = []
        while len(order) < 3:
            m = await b.recv()
            if m["header"]["type"] == "completion":
                assert m["header"]["completionCode"] == "success", m
                order.append(m["header"]["requestId"])
        assert order == ids
        # the scanner read of the other client was waiting all along, independently
        while not a.pending[scan]:
            await a.recv(5)
        assert [m["header"]["type"] for m in a.pending[scan]] == ["acknowledge"]
        d.sims["scanner"].send("PARALLEL")
        assert check_shape(await a.finish(scan), "Scanner.Read")["payload"]["code"] == "PARALLEL"
        assert d.receipts() == ["receipt-0001.png", "receipt-0002.png", "receipt-0003.png"]
        texts = [open(os.path.join(d.out, f"receipt-000{i}.txt"), encoding="utf-8").read()
                 for i in (1, 2, 3)]
        assert all(f"receipt {i + 1}" in t for i, t in enumerate(texts))
        await a.close()
        await b.close()
    run(go())


def test_printer_waiting_event(daemon):
    d = daemon(printer=["--paper-out", "--recover-after", "2"])

    async def go():
        c = await Client.connect(d.url)
        msgs = await c.call("Printer.Print", {"document": RECEIPT}, timeout=30000)
        done = check_shape(msgs, "Printer.Print")
        events = [m for m in msgs if m["header"]["type"] == "event"]
        assert events and events[0]["header"]["name"] == "Printer.Waiting"
        assert events[0]["payload"] == {"reason": "paperOut"}
        assert events[0]["header"]["requestId"] == done["header"]["requestId"]
        assert len(d.receipts()) == 1
        await c.close()
    run(go())


def test_paper_out_completion(daemon):
    d = daemon(printer=["--paper-out"])

    async def go():
        c = await Client.connect(d.url)
        check_shape(await c.call("Printer.Print", {"document": RECEIPT}, timeout=2000),
                    "Printer.Print", "paperOut")
        st = check_shape(await c.call("Printer.Status"), "Printer.Status")["payload"]
        assert st["paper"] == "out"
        await c.close()
    run(go())


def test_hundred_connections(daemon):
    d = daemon(idcard=["--no-card"], printer=[])

    async def go():
        clients = await asyncio.gather(*[Client.connect(d.url) for _ in range(100)])
        results = await asyncio.gather(*[c.call("Printer.Status", timeout=20000, wait=60)
                                         for c in clients])
        for r in results:
            check_shape(r, "Printer.Status")
        statuses = await asyncio.gather(*[c.call("Common.Status") for c in clients])
        for r in statuses:
            check_shape(r, "Common.Status")
        # an unsolicited event reaches every authorised connection
        d.sims["idcard"].send("place " + os.path.join(CARDS, "resident.json"))
        await asyncio.gather(*[c.wait_unsolicited("IdCard.CardInserted", 20) for c in clients])
        await asyncio.gather(*[c.close() for c in clients])
    run(go())


def test_client_leaves_mid_print(daemon):
    # 300 bytes/s: the receipt takes several seconds on the link
    d = daemon(printer=["--slow", "300"])

    async def go():
        c = await Client.connect(d.url)
        await c.send("Printer.Print", {"document": LONG}, timeout=60000)
        ack = await c.recv()
        assert ack["header"]["type"] == "acknowledge" and ack["header"]["status"] == "ok"
        await asyncio.sleep(0.5)
        await c.ws.close()
        # the job goes on to its one outcome; the receipt is printed exactly once
        assert wait_for(lambda: "Printer.Print of a closed connection ended" in d.kioskd.stderr(),
                        60), d.kioskd.stderr()[-2000:]
        await asyncio.sleep(1.0)
        log = d.kioskd.stderr()
        assert log.count("Printer.Print of a closed connection ended") == 1
        assert "ended: success" in log
        assert d.receipts() == ["receipt-0001.png"]
        # and the printer serves the next client
        n = await Client.connect(d.url)
        check_shape(await n.call("Printer.Status", timeout=20000), "Printer.Status")
        await n.close()
    run(go())


def test_client_leaves_during_read(daemon):
    d = daemon(idcard=["--no-card"], scanner=["--stdin"])

    async def go():
        c = await Client.connect(d.url)
        await c.send("IdCard.Read", timeout=60000)
        await c.send("Scanner.Read", timeout=60000)
        await c.recv()
        await c.recv()
        await c.ws.close()
        # both are cancelled at once: the devices are free for the next client
        n = await Client.connect(d.url)
        check_shape(await n.call("Scanner.Read", timeout=500), "Scanner.Read", "timeout")
        check_shape(await n.call("IdCard.Read", timeout=500), "IdCard.Read", "noCard")
        await n.close()
    run(go())


def test_rights(daemon):
    d = daemon(idcard=["--no-card"])

    async def go():
        c = await Client.connect(d.url, token=TOKEN_ADMIN)
        for name in ("Common.Status", "IdCard.Read", "Printer.Print", "Printer.Status",
                     "Scanner.Read"):
            msgs = await c.finish(await c.send(name))
            assert len(msgs) == 1 and msgs[0]["header"]["status"] == "unauthorized", msgs
        d.sims["idcard"].send("place " + os.path.join(CARDS, "resident.json"))
        dev = await Client.connect(d.url)
        await dev.wait_unsolicited("IdCard.CardInserted")
        # the admin-only connection gets no device events
        with pytest.raises(asyncio.TimeoutError):
            await c.recv(1.0)
        # a printer that is not configured
        check_shape(await dev.call("Printer.Status"), "Printer.Status", "noDevice")
        await c.close()
        await dev.close()
    run(go())
