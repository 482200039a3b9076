# SPDX-License-Identifier: LGPL-2.1-or-later
"""Receipt documents built in Python, checked and rendered by the library."""

import subprocess

import pytest

import libkiosk

from conftest import zbar_decode


def sample():
    return (libkiosk.Receipt(profile="generic-80mm")
            .text("政务服务中心", align="center", bold=True, size=2)
            .text("受理回执 / Acceptance receipt", align="center")
            .rule()
            .columns("办件编号", "2026-000123")
            .qr("KIOSK-CASE:2026-000123", module=6, ecc="M")
            .feed(2)
            .cut(partial=True))


def test_builder_json_roundtrip():
    doc = sample()
    d = doc.to_dict()
    assert d["profile"] == "generic-80mm"
    assert d["items"][0] == {"text": "政务服务中心", "align": "center", "bold": True, "size": 2}
    assert d["items"][-1] == {"cut": "partial"}
    assert libkiosk.Receipt.from_json(doc.to_json()) == doc
    doc.validate()
    assert "items=7" in repr(doc)


@pytest.mark.parametrize("call", [
    lambda r: r.text("x", size=9),
    lambda r: r.text("x", align="middle"),
    lambda r: r.qr("x", module=17),
    lambda r: r.qr("x", ecc="Z"),
    lambda r: r.qr(""),
    lambda r: r.feed(256),
    lambda r: r.image(b"not a png"),
])
def test_builder_rejects_bad_values(call):
    with pytest.raises(libkiosk.InvalidArgument):
        call(libkiosk.Receipt())


def test_library_rejects_bad_documents_with_path():
    with pytest.raises(libkiosk.BadDocument) as ei:
        libkiosk.Receipt.from_dict({"items": [{"text": "ok"}, {"text": "x", "sizee": 2}]}).validate()
    assert "items[1]" in str(ei.value)
    with pytest.raises(libkiosk.BadDocument):
        libkiosk.Receipt.from_json("{not json")
    with pytest.raises(libkiosk.NotFound):
        libkiosk.Receipt().image("/nonexistent/logo.png").validate()


def test_render_png_is_a_png_with_the_qr(ctx, tmp):
    doc = sample()
    png = doc.render_png(ctx)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # IHDR width = 576 dots for 80 mm paper
    width = int.from_bytes(png[16:20], "big")
    assert width == 576
    path = f"{tmp}/preview.png"
    doc.save_png(path, ctx)
    assert zbar_decode(path) == "KIOSK-CASE:2026-000123"
    narrow = doc.render_png(ctx, profile="generic-58mm")
    assert int.from_bytes(narrow[16:20], "big") == 384
    with pytest.raises(libkiosk.NotFound):
        doc.render_png(ctx, profile="no-such-printer")


def test_render_without_context_and_image_roundtrip(tmp):
    png = libkiosk.Receipt().qr("HELLO").render_png()
    doc = libkiosk.Receipt().image(png).text("below the image")
    again = doc.render_png()
    assert again[:8] == b"\x89PNG\r\n\x1a\n"
    with open(f"{tmp}/img.png", "wb") as f:
        f.write(again)
    assert zbar_decode(f"{tmp}/img.png") == "HELLO"


def test_render_escpos(ctx):
    data, substituted = sample().render_escpos(ctx)
    assert data.startswith(b"\x1b@")
    assert b"\x1dVB" in data or b"\x1dV\x42" in data  # partial cut
    assert substituted == 0
    assert "政务服务中心".encode("gb18030") in data


def test_profiles():
    names = [n for n, _ in libkiosk.receipt_profiles()]
    assert "generic-80mm" in names and "generic-58mm" in names
    assert names == sorted(names)


def test_load_resolves_images_next_to_the_file(tmp, ctx):
    import json
    import os
    png = libkiosk.Receipt().qr("LOGO").render_png(ctx)
    os.mkdir(f"{tmp}/doc")
    with open(f"{tmp}/doc/logo.png", "wb") as f:
        f.write(png)
    with open(f"{tmp}/doc/receipt.json", "w", encoding="utf-8") as f:
        json.dump({"profile": "generic-58mm",
                   "items": [{"image": "logo.png"}, {"text": "办结"}, {"cut": "full"}]}, f)
    doc = libkiosk.Receipt.load(f"{tmp}/doc/receipt.json")
    assert doc.profile == "generic-58mm"
    assert doc.items[0]["image"] == f"{tmp}/doc/logo.png"
    out = doc.render_png(ctx)
    assert int.from_bytes(out[16:20], "big") == 384  # the document's own profile


def test_barcodes_in_a_receipt(ctx, tmp):
    doc = (libkiosk.Receipt()
           .text("办件编号")
           .barcode("BJ2026112400123")
           .barcode("490123456789", symbology="ean13", height=60, hri="none", align="left"))
    assert doc.items[1] == {"barcode": "BJ2026112400123"}
    for profile in ("generic-80mm", "legacy-80mm-raster-qr"):
        path = f"{tmp}/barcodes-{profile}.png"
        doc.save_png(path, ctx, profile=profile)
        r = subprocess.run(["zbarimg", "--quiet", path], capture_output=True, text=True, timeout=60)
        assert sorted(r.stdout.split()) == ["CODE-128:BJ2026112400123", "EAN-13:4901234567894"]
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.Receipt().barcode("123", symbology="qr")
    with pytest.raises(libkiosk.BadDocument) as ei:
        libkiosk.Receipt().barcode("123", symbology="itf").validate()
    assert "even number" in str(ei.value)
