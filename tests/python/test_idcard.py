# SPDX-License-Identifier: LGPL-2.1-or-later
"""ID-card reader binding against the SAM_V emulator on a pty."""

import asyncio
import gc
import json
import os
import subprocess
import time
import weakref

import pytest

import libkiosk
from libkiosk.idcard import JSON_FIELDS, _c_json

from conftest import next_event

CARDS = {
    "resident": "resident",
    "resident-longterm": "resident",
    "hk_macau_taiwan": "hk_macau_taiwan",
    "foreign_permanent": "foreign_permanent",
    "foreign_permanent_2023": "foreign_permanent_2023",
}


@pytest.fixture
def reader(sim, ctx):
    s = sim("idcard", "--pty")
    with ctx.open_idcard(s.uri) as r:
        yield r


def test_read_resident(reader):
    card = reader.read(timeout=10)
    assert isinstance(card, libkiosk.IdCard)
    assert card.card_type == "resident"
    assert card.sex in ("男", "女") and card.sex_code in ("1", "2")
    assert card.nation == "汉" and card.nation_code == "01"
    assert len(card.id_number) == 18 and card.id_number_valid is True
    assert len(card.birth_date) == 10 and card.birth_date[4] == "-"
    assert isinstance(card.photo_wlt, bytearray) and len(card.photo_wlt) == 1024
    assert card.english_name is None and card.pass_number is None
    assert reader.last_status == 0x90
    assert reader.driver == "samv" and reader.uri.startswith("serial:")
    assert reader.device_class == libkiosk.DeviceClass.IDCARD


@pytest.mark.parametrize("name,card_type", sorted(CARDS.items()))
def test_card_layouts_match_the_library_json(sim, ctx, name, card_type):
    s = sim("idcard", "--pty", "--card", name)
    with ctx.open_idcard(s.uri) as r:
        card = r.read(timeout=10)
    assert card.card_type == card_type
    # the dataclass carries exactly the JSON contract's fields, same values
    assert list(card.to_dict()) == list(JSON_FIELDS)
    assert card.to_dict() == json.loads(_c_json(card))
    assert card.to_dict(photo=True) == json.loads(_c_json(card, photo=True))
    if card_type == "foreign_permanent":
        assert card.english_name and card.nationality and card.id_number_valid is None
    if card_type == "hk_macau_taiwan":
        assert card.pass_number and card.issue_count
    if name == "resident-longterm":
        assert card.valid_until == "long-term"


def test_matches_kioskctl_json(sim, ctx, kioskctl):
    s = sim("idcard", "--pty", "--card", "hk_macau_taiwan")
    out = subprocess.run([kioskctl, "idcard", "read", "--device", s.uri, "--json"],
                         capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    with ctx.open_idcard(s.uri) as r:
        card = r.read(timeout=10)
    assert json.loads(out.stdout) == card.to_dict()
    assert json.loads(card.to_json()) == card.to_dict()


def test_repr_is_masked_and_clear_wipes(reader):
    card = reader.read(timeout=10)
    name, number, address = card.name, card.id_number, card.address
    photo = card.photo_wlt
    for text in (repr(card), str(card), f"{card}", repr([card])):
        assert name not in text and number not in text and address not in text
        assert number[:4] in text and number[-4:] in text  # masked, not hidden
    assert card.masked_name[0] == name[0] and "*" in card.masked_name
    assert any(photo)
    card.clear()
    assert card.cleared
    assert not any(photo)  # the photo bytes were overwritten in place
    assert card.name is None and card.id_number is None and card.photo_wlt is None
    assert repr(card) == "IdCard(<cleared>)"
    with pytest.raises(libkiosk.InvalidState):
        card.decode_photo(reader.context)
    import pickle
    with pytest.raises(TypeError):
        pickle.dumps(reader.read(timeout=10))  # personal data is not pickled by accident


def test_extra_flags(sim, ctx):
    s = sim("idcard", "--pty")
    with ctx.open_idcard(s.uri) as r:
        card = r.read(timeout=10, fingerprint=True, extra_address=True)
    assert card.card_type == "resident"
    assert card.fingerprint is None or isinstance(card.fingerprint, bytearray)


def test_no_card(sim, ctx):
    s = sim("idcard", "--pty", "--no-card")
    with ctx.open_idcard(s.uri) as r:
        t0 = time.monotonic()
        with pytest.raises(libkiosk.NoCard) as ei:
            r.read(timeout=0.5)
        assert time.monotonic() - t0 >= 0.4
        assert str(ei.value)
        assert r.last_status == 0x80
        assert r.last_error


def test_silent_reader_times_out(ctx):
    master, slave = os.openpty()
    try:
        with ctx.open_idcard("serial:" + os.ttyname(slave)) as r:
            with pytest.raises(libkiosk.Timeout) as ei:
                r.read(timeout=0.5)
            assert isinstance(ei.value, TimeoutError)
    finally:
        os.close(master)
        os.close(slave)


def test_bad_checksum_and_sam_faults(sim, ctx):
    s = sim("idcard", "--pty", "--fault", "bad-checksum")
    with ctx.open_idcard(s.uri) as r:
        with pytest.raises(libkiosk.ChecksumError):
            r.read(timeout=3)
    s2 = sim("idcard", "--pty", "--fault", "sw3=60")
    with ctx.open_idcard(s2.uri) as r:
        with pytest.raises(libkiosk.SamError):
            r.read(timeout=3)


def test_sam_commands(reader):
    reader.sam_status()
    sam_id = reader.sam_id()
    assert sam_id.count("-") == 3 and "." in sam_id


def test_decode_photo_needs_the_vendor_library(reader, monkeypatch):
    monkeypatch.delenv("KIOSK_WLT_LIBRARY", raising=False)
    card = reader.read(timeout=10)
    with pytest.raises(libkiosk.DecoderError):
        card.decode_photo(reader.context)
    reader.set_wlt_library("/nonexistent/libwlt.so")
    with pytest.raises(libkiosk.DecoderError) as ei:
        card.decode_photo(reader.context)
    assert "libwlt" in str(ei.value) or str(ei.value)


def test_read_async_wait_and_await(reader):
    job = reader.read_async(timeout=10)
    card = job.wait(timeout=30)
    assert card.card_type == "resident" and job.done()
    assert job.result() is card  # taken once, kept

    async def main():
        return await reader.read_async(timeout=10)
    # a card already read and still on the reader is read again by an explicit read
    card2 = asyncio.run(main())
    assert card2.id_number == card.id_number


def test_read_async_failure_raises_from_wait(sim, ctx):
    s = sim("idcard", "--pty", "--no-card")
    with ctx.open_idcard(s.uri) as r:
        job = r.read_async(timeout=0.3)
        with pytest.raises(libkiosk.NoCard):
            job.wait(timeout=30)
        assert isinstance(job.exception(), libkiosk.NoCard)
        assert job.message


def test_watch_events_blocking(sim, ctx):
    s = sim("idcard", "--pty", "--remove-after", "800")
    with ctx.open_idcard(s.uri) as r:
        r.watch(interval=0.1)
        ev = next_event(ctx, 30)
        assert ev.type == libkiosk.EventType.CARD_INSERTED == "card-inserted"
        assert ev.device is r and ev.uri == r.uri
        assert ev.card.card_type == "resident" and ev.card.id_number_valid
        assert ev.card.name not in repr(ev)
        ev2 = next_event(ctx, 30)
        assert ev2.type == "card-removed"
        r.unwatch()
        # a card announced once is not announced again (it left: nothing more)
        assert [e for e in ctx.events(timeout=0.5) if e.type != "device-state"] == []


def test_watch_events_asyncio(sim, ctx):
    s = sim("idcard", "--pty")

    async def main():
        with ctx.open_idcard(s.uri) as r:
            r.watch(interval=0.1)
            async for ev in ctx.aevents(timeout=30):
                if ev.type == "device-state":
                    continue  # the reader's first answer: unknown -> online
                assert ev.type == "card-inserted"
                return ev.card
    card = asyncio.run(main())
    assert card is not None and card.card_type == "resident"
    card.clear()


def test_use_after_close_and_gc(sim, ctx):
    s = sim("idcard", "--pty")
    r = ctx.open_idcard(s.uri)
    r.close()
    r.close()
    assert r.closed
    for call in (lambda: r.read(1), lambda: r.watch(), lambda: r.last_status,
                 lambda: r.sam_id(), lambda: r.read_async(1)):
        with pytest.raises(libkiosk.InvalidState):
            call()
    assert "closed" in repr(r)
    # dropped without close(): closed on collection, the port is free again
    r2 = ctx.open_idcard(s.uri)
    ref = weakref.ref(r2)
    del r2
    gc.collect()
    assert ref() is None
    assert ctx.devices == []
    with ctx.open_idcard(s.uri) as r3:
        assert r3.read(timeout=10).card_type == "resident"


def test_context_close_closes_reader(sim):
    s = sim("idcard", "--pty")
    ctx = libkiosk.Context()
    r = ctx.open_idcard(s.uri)
    job = r.read_async(timeout=10)
    ctx.close()
    assert r.closed and job.closed
    with pytest.raises(libkiosk.InvalidState):
        r.read(1)
    with pytest.raises(libkiosk.InvalidState):
        job.wait(1)


def _ucs2(text, nbytes):
    b = text.encode("utf-16-le")
    assert len(b) <= nbytes
    return b + " ".encode("utf-16-le") * ((nbytes - len(b)) // 2)


def _check_digit(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * k for c, k in zip(first17, w)) % 11
    return "10X98765432"[s]


def test_decode_text_block_synthetic():
    num = "11010519491231002"
    num += _check_digit(num)
    block = (_ucs2("张三", 30) + _ucs2("1", 2) + _ucs2("01", 4) + _ucs2("19491231", 16)
             + _ucs2("北京市东城区样例街1号", 70) + _ucs2(num, 36) + _ucs2("北京市公安局东城分局", 30)
             + _ucs2("20200101", 16) + _ucs2("长期", 16))
    block += b" \x00" * ((256 - len(block)) // 2)
    assert len(block) == 256
    card = libkiosk.decode_text_block(block)
    assert card.name == "张三" and card.sex == "男" and card.nation == "汉"
    assert card.birth_date == "1949-12-31" and card.valid_until == "long-term"
    assert card.id_number == num and card.id_number_valid is True
    assert card.photo_wlt is None
    assert repr(card).count("张*") == 1 and "张三" not in repr(card)
    bad = num[:-1] + ("0" if num[-1] != "0" else "1")
    card2 = libkiosk.decode_text_block(block.replace(_ucs2(num, 36), _ucs2(bad, 36)))
    assert card2.id_number_valid is False
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.decode_text_block(block[:100])
    with pytest.raises(libkiosk.ProtocolError):
        libkiosk.decode_text_block(b"\x00\xd8" + block[2:])  # unpaired surrogate


def test_unreadable_card_posts_a_device_error_event(sim, ctx):
    s = sim("idcard", "--pty", "--fault", "sw3=41@30")
    with ctx.open_idcard(s.uri) as r:
        r.watch(interval=0.1)
        ev = next_event(ctx, 30)
        assert ev.type == libkiosk.EventType.DEVICE_ERROR
        assert isinstance(ev.error, libkiosk.CardError) and ev.device is r
        assert ev.card is None


def test_card_as_context_manager_and_drop_wipes(reader):
    with reader.read(timeout=10) as card:
        photo = card.photo_wlt
        assert any(photo)
    assert card.cleared and not any(photo)
    # dropped without clear(): the photo bytes are zeroed unless still referenced
    card = reader.read(timeout=10)
    card.__del__()  # what collection runs
    assert not any(card.photo_wlt)
    card = reader.read(timeout=10)
    kept = card.photo_wlt
    del card
    gc.collect()
    assert any(kept)  # the application holds it: not pulled from under it


def test_set_baud_then_read(reader):
    reader.set_baud(57600)
    assert reader.read(timeout=10).card_type == "resident"
    with pytest.raises(libkiosk.InvalidArgument):
        reader.set_baud(12345)
