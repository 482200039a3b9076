# SPDX-License-Identifier: LGPL-2.1-or-later
"""The printer emulator's ESC/POS interpreter, command by command, on bytes recorded from
three npm encoders (tests/printer/corpus/recorded, made by corpus/encoders.mjs record):
what it prints (.txt), what zbar reads back from the PNG, one page per cut, and that what
it does not understand is logged and never printed. Commands none of those encoders
sends (ESC i, GS V with feed, GS ( L, GS 8 L, FS q/FS p, GS */GS /, ESC {) are built here
from the Epson reference, around image data recorded from node-escpos."""
import pytest

from emulator_util import RECORDED, read_png, replay

URL = "https://zwfw.example.gov.cn/case/BJ2026112400123"
CASE = "BJ2026112400123"


@pytest.fixture
def out(tmp_path):
    return tmp_path / "pages"


@pytest.mark.parametrize("name", ["node-escpos-esc-star-s8", "node-escpos-esc-star-d8",
                                  "node-escpos-esc-star-s24", "node-escpos-esc-star-d24",
                                  "receipt-printer-encoder-esc-star"])
def test_esc_star_bit_images(name, out):
    r = replay(name, out)
    assert len(r.pngs) == 1
    assert "[image " in r.texts[0]
    assert r.codes(0) == [f"QR-Code:{URL}"]
    assert "not understood" not in r.stderr


def test_esc_star_densities_scale_like_a_203_dpi_head(out):
    # the same 112-dot-wide image: 8-dot modes 3 dots tall per dot, single density 2 wide
    sizes = {}
    for d in ("s8", "d8", "s24", "d24"):
        t = replay(f"node-escpos-esc-star-{d}", out / d).texts[0]
        sizes[d] = t[t.index("[image ") + 7:t.index("]")]
    assert sizes == {"s8": "224x336", "d8": "112x336", "s24": "224x120", "d24": "112x120"}


@pytest.mark.parametrize("name", ["node-escpos-gs-v0", "receipt-printer-encoder-gs-v0"])
def test_gs_v0_raster(name, out):
    r = replay(name, out)
    assert "[raster " in r.texts[0]
    assert r.codes(0) == [f"QR-Code:{URL}"]


@pytest.mark.parametrize("name", ["receipt-printer-encoder-gs-k-qr", "escpos-buffer-gs-k-qr",
                                  "node-escpos-esc-z"])
def test_native_qr(name, out):
    r = replay(name, out)
    assert f"[qr] {URL}" in r.texts[0]
    assert r.codes(0) == [f"QR-Code:{URL}"]


@pytest.mark.parametrize("enc", ["receipt-printer-encoder", "node-escpos"])
@pytest.mark.parametrize("sym,zbar_name,data", [("code128", "CODE-128", CASE),
                                                 ("code39", "CODE-39", "KIOSK-39"),
                                                 ("ean13", "EAN-13", "4901234567894"),
                                                 ("itf", "I2/5", "12345678")])
def test_gs_k_barcodes(enc, sym, zbar_name, data, out):
    r = replay(f"{enc}-gs-k-{sym}", out)
    assert f"[{sym}] {data}" in r.texts[0]
    assert r.codes(0) == [f"{zbar_name}:{data}"]
    assert "not understood" not in r.stderr


def test_gs_k_hri_below_the_bars(out):
    r = replay("receipt-printer-encoder-gs-k-code128", out)
    w, h, rows = read_png(r.pngs[0])
    inked = [y for y in range(h) if any(rows[y])]
    bars = [y for y in inked if rows[y] == rows[inked[0]]]     # the rows of the bar pattern
    text = [y for y in inked if rows[y] != rows[inked[0]]]     # the rows of HRI characters
    assert len(bars) == 80 and text and min(text) > max(bars)


@pytest.mark.parametrize("cp,text", [("cp437", "Grüße ─ ½"), ("cp850", "Ærø Ñandú"),
                                     ("cp858", "Preis 5,00 €"), ("cp866", "Привет"),
                                     ("cp1252", "Œuvre “déjà” €")])
def test_esc_t_code_pages(cp, text, out):
    r = replay(f"escpos-buffer-{cp}", out)
    assert r.texts[0].splitlines()[0] == text


def test_esc_t_chosen_by_the_encoder(out):
    # receipt-printer-encoder's codepage('auto') switches pages mid-line (ESC t 13 for €)
    r = replay("receipt-printer-encoder-codepage-auto", out)
    assert r.texts[0].splitlines()[0] == "Straße € Ø ─"


def test_esc_r_international_sets(out):
    r = replay("node-escpos-esc-r", out)
    assert r.texts[0].splitlines()[:2] == ["ÄÖÜäöüß", "[\\]"]


def test_chinese_default(out):
    # node-escpos sends GB18030 without FS &: right only on a printer that starts in Chinese mode
    r = replay("node-escpos-gb18030-no-fs", out / "cn", "--chinese-default")
    assert r.texts[0].splitlines()[0] == "受理回执 办件编号"
    r = replay("node-escpos-gb18030-no-fs", out / "plain")
    assert "受理" not in r.texts[0]


def test_fs_amp_and_fs_dot(out):
    data = b"\x1b@\x1c&" + "受理回执".encode("gb18030") + b"\x1c.\x1bt\x00" + "é".encode("cp437") + b"\n\x1dV\x00"
    r = replay(data, out)
    assert r.texts[0].splitlines()[0] == "受理回执é"


def test_escpos_buffer_esc_m_cuts(out):
    r = replay("escpos-buffer-esc-m", out)
    assert [t.split() for t in r.texts] == [["page", "one"], ["page", "two"]]


@pytest.mark.parametrize("cut", [b"\x1bi", b"\x1bm", b"\x1dV\x00", b"\x1dV\x01", b"\x1dV0", b"\x1dV1",
                                 b"\x1dVA\x10", b"\x1dVB\x00", b"\x1dVa\x05", b"\x1dVb\x05"])
def test_every_cut_ends_a_page(cut, out):
    r = replay(b"one\n" + cut + b"two\n" + cut + b"\n", out)
    assert [t.strip() for t in r.texts] == ["one", "two"]


def test_gs_v_feed_before_cut(out):
    short = replay(b"x\n\x1dVA\x00", out / "a")
    long = replay(b"x\n\x1dVA\x60", out / "b")
    assert read_png(long.pngs[0])[1] - read_png(short.pngs[0])[1] == 0x60


def test_styles(out):
    r = replay("node-escpos-styles", out)
    lines = r.texts[0].splitlines()
    assert lines[:5] == ["under", "REVERSE", "spaced one", "spaced two", "after J"]
    assert "after d" in lines
    # its italic command (ESC 4 n) is no ESC/POS: logged, not printed
    assert "ignored ESC 4/5 (italic" in r.stderr
    w, h, rows = read_png(r.pngs[0])
    inked = [y for y in range(h) if any(rows[y])]
    # GS B: a text line printed white on black has rows that are black across the word
    assert any(sum(rows[y][16:16 + 7 * 12]) == 7 * 12 for y in inked)
    # ESC -: the underline is one full row under "under"
    assert any(sum(rows[y][16:16 + 5 * 12]) == 5 * 12 for y in inked[:24])


def test_line_spacing_and_feeds(out):
    r = replay("node-escpos-styles", out)
    w, h, rows = read_png(r.pngs[0])
    tops, prev = [], False
    for y in range(h):
        ink = any(rows[y])
        if ink and not prev:
            tops.append(y)
        prev = ink
    # ink starts: under, its underline, REVERSE, spaced one, spaced two, after J, after d
    assert len(tops) == 7
    gaps = [b - a for a, b in zip(tops, tops[1:])]
    assert gaps[3] == 60                  # spaced one → spaced two (ESC 3 60)
    assert gaps[4] == 60 + 100            # LF of "spaced two" (still 60), ESC 2, ESC J 100
    assert gaps[5] == 30 + 3 * 30         # LF of "after J" (default 30), then ESC d 3


def test_esc_brace_upside_down(out):
    normal = replay(b"\x1b@AbC_\n\x1dV\x00", out / "n")
    turned = replay(b"\x1b@\x1b{\x01AbC_\n\x1dV\x00", out / "u")
    assert turned.texts[0].strip() == "AbC_"
    _, _, a = read_png(normal.pngs[0])
    _, _, b = read_png(turned.pngs[0])
    band_a = [row[16:16 + 576] for row in a[16:16 + 24]]
    band_b = [row[16:16 + 576] for row in b[16:16 + 24]]
    assert any(map(any, band_a))
    assert band_b == [row[::-1] for row in band_a[::-1]]


def _recorded_raster():
    """The QR raster that node-escpos sent with GS v 0: (bytes per row, rows, data)."""
    d = (RECORDED / "node-escpos-gs-v0.bin").read_bytes()
    i = d.index(b"\x1dv0")
    xb, rows = d[i + 4] | d[i + 5] << 8, d[i + 6] | d[i + 7] << 8
    return xb, rows, d[i + 8:i + 8 + xb * rows]


def _columns(xb, rows, data):
    """Row raster → column format (each column top to bottom, MSB first), rows padded to 8."""
    yb = (rows + 7) // 8
    out = bytearray(xb * 8 * yb)
    for x in range(xb * 8):
        for y in range(rows):
            if data[y * xb + x // 8] & (0x80 >> (x % 8)):
                out[x * yb + y // 8] |= 0x80 >> (y % 8)
    return xb, yb, bytes(out)


def test_gs_paren_l_and_gs_8_l_graphics(out):
    xb, rows, data = _recorded_raster()
    body = bytes([0x30, 0x70, 0x30, 1, 1, 0x31, (xb * 8) & 255, (xb * 8) >> 8, rows & 255, rows >> 8]) + data
    paren = b"\x1d(L" + len(body).to_bytes(2, "little") + body + b"\x1d(L\x02\x000\x32"
    eight = b"\x1d8L" + len(body).to_bytes(4, "little") + body + b"\x1d(L\x02\x000\x02"
    for name, job in (("paren", paren), ("eight", eight)):
        r = replay(b"\x1b@\x1ba\x01" + job + b"\x1dV\x00", out / name)
        assert "[raster " in r.texts[0], name
        assert r.codes(0) == [f"QR-Code:{URL}"], name


def test_fs_q_fs_p_nv_bit_image(out):
    x, y, cols = _columns(*_recorded_raster())
    define = b"\x1cq\x01" + bytes([x & 255, x >> 8, y & 255, y >> 8]) + cols
    r = replay(b"\x1b@" + define + b"\x1cp\x01\x00\x1cp\x01\x03\x1dV\x00", out)
    assert "[nv-image 112x112]" in r.texts[0] and "[nv-image 224x224]" in r.texts[0]
    assert r.codes(0) == [f"QR-Code:{URL}", f"QR-Code:{URL}"]
    r = replay(b"\x1b@\x1cp\x02\x00\x1dV\x00", out / "undefined")
    assert "NV bit image 2 is not defined" in r.stderr


def test_gs_star_downloaded_bit_image(out):
    x, y, cols = _columns(*_recorded_raster())
    r = replay(b"\x1b@\x1d*" + bytes([x, y]) + cols + b"\x1d/\x00\n\x1dV\x00", out)
    assert r.codes(0) == [f"QR-Code:{URL}"]


def test_not_understood_is_logged_never_printed(out):
    r = replay(b"\x1b@A\x1bx\x01B\x0cC\x1d\x99\x00D\x1b(Z\x02\x00hiE\n\x1dV\x00", out)
    assert r.texts[0].splitlines()[0] == "ABCDE"
    assert "not understood: ESC x (0x78) [1B 78 01]" in r.stderr
    assert "not understood: control byte 0x0C" in r.stderr
    assert "not understood: GS ? (0x99)" in r.stderr
    assert "4 command(s) not understood or ignored" in r.stdout


def test_one_page_per_cut_no_blank_trailer(out):
    # feeds after the last cut are not a page
    r = replay(b"x\n\x1dV\x00\n\n\r", out)
    assert len(r.pngs) == 1
