// SPDX-License-Identifier: LGPL-2.1-or-later
// The reference receipt built with three third-party ESC/POS encoders, as a vendor's
// application would use them, for the printer emulator's corpus test
// (tests/printer/test_printer_corpus.sh; tests/printer/corpus/README.md says how
// Chinese text gets to the printer with each). Run from a folder holding node_modules:
//   node encoders.mjs receipts OUTDIR   → OUTDIR/<encoder>.bin + <encoder>.json (what must print)
//   node encoders.mjs record OUTDIR     → OUTDIR/<encoder>-<command>.bin, one command each
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { Printer as EscposBuffer, InMemory, Image as EbImage } from 'escpos-buffer';
import { Printer as NodeEscpos, Image as NeImage } from '@node-escpos/core';
import iconv from 'iconv-lite';
import QRCode from 'qrcode';
import { mkdirSync, writeFileSync } from 'node:fs';

export const CASE = 'BJ2026112400123';
export const URL = 'https://zwfw.example.gov.cn/case/BJ2026112400123';
export const TITLE = 'XX市政务服务中心';
export const SUBTITLE = '受理回执';
export const FEE = 'Café 5,00 €';
export const EAN = '4901234567894';
export const C39 = 'KIOSK-39';
export const ITF = '12345678';

const gb = (s) => iconv.encode(s, 'gb18030');
const FS_AMP = [0x1c, 0x26], FS_DOT = [0x1c, 0x2e];

/* The QR matrix as an RGBA image, `module` dots a module, 4 modules of quiet zone. */
function qrRgba(data, module) {
	const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size, q = 4, size = (n + 2 * q) * module, w = Math.ceil(size / 8) * 8;
	const px = new Uint8ClampedArray(w * size * 4).fill(255);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			const my = Math.floor(y / module) - q, mx = Math.floor(x / module) - q;
			if (my >= 0 && mx >= 0 && my < n && mx < n && qr.modules.get(my, mx)) {
				const o = (y * w + x) * 4;
				px[o] = px[o + 1] = px[o + 2] = 0;
			}
		}
	return { data: px, width: w, height: size };
}

const expected = (rule) => ({
	pages: [
		{ text: [TITLE, SUBTITLE, rule, '办件编号', CASE, FEE],
		  codes: [`QR-Code:${URL}`, `CODE-128:${CASE}`] },
		{ text: [], codes: [`QR-Code:${URL}`, `EAN-13:${EAN}`, `CODE-39:${C39}`, `I2/5:${ITF}`] },
	],
});

/* ---- @point-of-sale/receipt-printer-encoder ------------------------------------------ */
// No Chinese: GB18030 bytes go through raw() inside FS & … FS .; everything else
// (rule in CP437, the fee in the code page codepage('auto') picks, barcodes, QR, column images) is its own.
function rpe() {
	const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: 48, feedBeforeCut: 0 });
	enc.initialize();
	enc.align('center').bold(true).size(2, 2).raw([...FS_AMP, ...gb(TITLE), ...FS_DOT]).newline();
	enc.bold(false).size(1, 1).raw([...FS_AMP, ...gb(SUBTITLE), ...FS_DOT]).newline();
	enc.align('left').rule();
	enc.raw([...FS_AMP, ...gb('办件编号'), ...FS_DOT]).text(' ' + CASE).newline();
	enc.codepage('auto').text(FEE).newline();
	enc.align('center');
	enc.barcode(CASE, 'code128', { height: 60, width: 2, text: 'below' });
	enc.qrcode(URL, { model: 2, size: 6, errorlevel: 'm' });
	enc.cut('partial');
	const img = qrRgba(URL, 4);
	enc.image(img, img.width, img.height, 'threshold');
	enc.barcode(EAN, 'ean13', { height: 60, width: 2, text: 'below' });
	enc.barcode(C39, 'code39', { height: 60, width: 2, text: 'below' });
	enc.barcode(ITF, 'itf', { height: 60, width: 1, text: 'below' });
	enc.cut('full');
	return { bytes: Buffer.from(enc.encode()), expect: expected('─'.repeat(20)), args: [] };
}

/* ---- escpos-buffer ----------------------------------------------------------------------- */
// No Chinese and no barcodes: GB18030 inside FS & … FS . and GS k go to its connection
// directly (in order with its own writes); text in its CP858 code page, native QR,
// images with ESC * 33, cut with ESC m.
async function escposBuffer() {
	const conn = new InMemory();
	const p = await EscposBuffer.CONNECT('TM-T20', conn);
	const raw = (a) => conn.write(Buffer.from(a));
	await p.setColumns(48);
	await p.setCodepage('cp858');
	await p.setAlignment(1);
	await raw([0x1b, 0x45, 1, 0x1d, 0x21, 0x11, ...FS_AMP, ...gb(TITLE), ...FS_DOT, 0x1b, 0x45, 0, 0x1d, 0x21, 0]);
	await p.feed(1);
	await raw([...FS_AMP, ...gb(SUBTITLE), ...FS_DOT]);
	await p.feed(1);
	await p.setAlignment(0);
	await p.writeln('-'.repeat(48));
	await raw([...FS_AMP, ...gb('办件编号'), ...FS_DOT]);
	await p.writeln(' ' + CASE);
	await p.writeln(FEE);
	await p.setAlignment(1);
	const gsk = (m, data) => raw([0x1d, 0x68, 60, 0x1d, 0x77, 2, 0x1d, 0x48, 2, 0x1d, 0x6b, m, data.length, ...Buffer.from(data, 'latin1')]);
	await gsk(73, '{B' + CASE);
	await p.qrcode(URL, 6);
	await p.cutter();
	const img = qrRgba(URL, 4);
	await p.draw(new EbImage({ data: Buffer.from(img.data), width: img.width, height: img.height }));
	await gsk(67, EAN);
	await gsk(69, C39);
	await gsk(70, ITF);
	await p.cutter();
	return { bytes: Buffer.from(conn.buffer()), expect: expected('-'.repeat(48)), args: [] };
}

/* ---- @node-escpos/core -------------------------------------------------------------------- */
// Chinese by its `encoding` option (GB18030 by default), sent WITHOUT FS &: the printer must
// start in Chinese mode (kiosk-sim printer --chinese-default, as many Chinese printers do).
// The fee leaves Chinese mode with FS . for CP858 (ESC t 19) and comes back with FS &.
// model('xprinter') for Code 128 (its generic path writes a wrong length byte below 16
// characters); QR with its ESC Z command; images with ESC * 33.
async function nodeEscpos() {
	const p = new NodeEscpos({ write: (b, cb) => cb && cb(), close: (cb) => cb && cb() }, { encoding: 'GB18030', width: 48 });
	p.model('xprinter');
	p.hardware('init');
	p.align('ct').style('b').size(2, 2).text(TITLE);
	p.style('normal').size(1, 1).text(SUBTITLE);
	p.align('lt').drawLine('-');
	p.text('办件编号 ' + CASE);
	p.raw(Buffer.from(FS_DOT)).setCharacterCodeTable(19).text(FEE, 'cp858').raw(Buffer.from(FS_AMP));
	p.align('ct');
	p.barcode(CASE, 'CODE128', { width: 2, height: 60, position: 'blw' });
	p.qrcode(URL, 0, 'M', 6);
	p.cut(true);
	const img = qrRgba(URL, 4);
	await p.image(new NeImage({ data: img.data, shape: [img.width, img.height, 4] }), 'd24');
	p.barcode(EAN.slice(0, 12), 'EAN13', { width: 2, height: 60, position: 'blw' });
	p.barcode(C39, 'CODE39', { width: 2, height: 60, position: 'blw' });
	p.barcode(ITF, 'ITF', { width: 2, height: 60, position: 'blw' });
	p.cut(false);
	return { bytes: Buffer.from(p.buffer.flush()), expect: expected('-'.repeat(48)), args: ['--chinese-default'] };
}

export const ENCODERS = { 'receipt-printer-encoder': rpe, 'escpos-buffer': escposBuffer, 'node-escpos': nodeEscpos };

async function receipts(dir) {
	mkdirSync(dir, { recursive: true });
	for (const [name, build] of Object.entries(ENCODERS)) {
		const r = await build();
		writeFileSync(`${dir}/${name}.bin`, r.bytes);
		writeFileSync(`${dir}/${name}.json`, JSON.stringify({ ...r.expect, args: r.args }, null, 1));
	}
}

/* One command (or a short sequence) each, for tests/printer/test_printer_escpos_cmds.py. */
async function record(dir) {
	mkdirSync(dir, { recursive: true });
	const out = (name, bytes) => writeFileSync(`${dir}/${name}.bin`, Buffer.from(bytes));
	const img = qrRgba(URL, 3);
	const ne = () => new NodeEscpos({ write: (b, cb) => cb && cb(), close: (cb) => cb && cb() }, { encoding: 'GB18030', width: 48 });

	/* ESC * in the four densities (node-escpos image()) */
	for (const d of ['s8', 'd8', 's24', 'd24']) {
		const p = ne();
		await p.image(new NeImage({ data: img.data, shape: [img.width, img.height, 4] }), d);
		p.cut(true);
		out(`node-escpos-esc-star-${d}`, p.buffer.flush());
	}
	/* GS v 0 (node-escpos raster, receipt-printer-encoder raster mode) */
	{
		const p = ne();
		p.raster(new NeImage({ data: img.data, shape: [img.width, img.height, 4] }), 'normal');
		p.cut(true);
		out('node-escpos-gs-v0', p.buffer.flush());
		const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', imageMode: 'raster', feedBeforeCut: 0 });
		out('receipt-printer-encoder-gs-v0', enc.initialize().image(img, img.width, img.height, 'threshold').cut().encode());
		const col = new ReceiptPrinterEncoder({ language: 'esc-pos', imageMode: 'column', feedBeforeCut: 0 });
		out('receipt-printer-encoder-esc-star', col.initialize().image(img, img.width, img.height, 'threshold').cut().encode());
	}
	/* ESC Z QR (node-escpos qrcode) and ESC m (escpos-buffer cutter) */
	{
		const p = ne();
		p.qrcode(URL, 0, 'M', 5);
		p.cut(true);
		out('node-escpos-esc-z', p.buffer.flush());
		const conn = new InMemory();
		const eb = await EscposBuffer.CONNECT('TM-T20', conn);
		await eb.writeln('page one');
		await eb.cutter();
		await eb.writeln('page two');
		await eb.cutter();
		out('escpos-buffer-esc-m', conn.buffer());
	}
	/* Code pages: ESC t + the encoder's own encoding */
	for (const [cp, n, text] of [['cp437', 0, 'Grüße ─ ½'], ['cp850', 2, 'Ærø Ñandú'], ['cp858', 19, 'Preis 5,00 €'],
		['cp866', 17, 'Привет'], ['cp1252', 16, 'Œuvre “déjà” €']]) {
		const conn = new InMemory();
		const eb = await EscposBuffer.CONNECT('TM-T20', conn);
		await eb.setCodepage(cp);
		await eb.writeln(text);
		await eb.cutter();
		out(`escpos-buffer-${cp}`, conn.buffer());
	}
	{
		const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', feedBeforeCut: 0 });
		out('receipt-printer-encoder-codepage-auto', enc.initialize().codepage('auto').text('Straße € Ø ─').newline().cut().encode());
		const p = ne();
		p.setCharset(2).text('[\\]{|}~', 'ascii').setCharset(0).text('[\\]', 'ascii').cut(true);
		out('node-escpos-esc-r', p.buffer.flush());
	}
	/* Chinese: FS & + GB18030 (our way), node-escpos without FS & (needs --chinese-default) */
	{
		const p = ne();
		p.text('受理回执 办件编号').cut(true);
		out('node-escpos-gb18030-no-fs', p.buffer.flush());
	}
	/* Styles: ESC - underline, GS B reverse, ESC 2/3, ESC J, ESC d (node-escpos) */
	{
		const p = ne();
		p.style('u').text('under').style('normal');
		p.setReverseColors(true).text('REVERSE').setReverseColors(false);
		p.lineSpace(60).text('spaced one').text('spaced two').lineSpace();
		p.print(Buffer.from([0x1b, 0x4a, 100])).text('after J');
		p.print(Buffer.from([0x1b, 0x64, 3])).text('after d');
		p.cut(true);
		out('node-escpos-styles', p.buffer.flush());
	}
	/* Barcodes: GS k in each symbology (receipt-printer-encoder, node-escpos) */
	for (const [sym, data] of [['code128', CASE], ['code39', C39], ['ean13', EAN], ['itf', ITF]]) {
		const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', feedBeforeCut: 0 });
		out(`receipt-printer-encoder-gs-k-${sym}`, enc.initialize().barcode(data, sym, { height: 80, width: 2, text: 'below' }).cut().encode());
	}
	for (const [sym, data] of [['CODE128', CASE], ['CODE39', C39], ['EAN13', EAN.slice(0, 12)], ['ITF', ITF]]) {
		const p = ne();
		p.model('xprinter');
		p.barcode(data, sym, { width: 2, height: 80, position: 'blw' }).cut(true);
		out(`node-escpos-gs-k-${sym.toLowerCase()}`, p.buffer.flush());
	}
	/* GS ( k QR (receipt-printer-encoder, escpos-buffer) */
	{
		const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', feedBeforeCut: 0 });
		out('receipt-printer-encoder-gs-k-qr', enc.initialize().qrcode(URL, { model: 2, size: 5, errorlevel: 'q' }).cut().encode());
		const conn = new InMemory();
		const eb = await EscposBuffer.CONNECT('TM-T20', conn);
		await eb.qrcode(URL, 5);
		await eb.cutter();
		out('escpos-buffer-gs-k-qr', conn.buffer());
	}
}

const [cmd, dir] = process.argv.slice(2);
if (cmd === 'receipts')
	await receipts(dir);
else if (cmd === 'record')
	await record(dir);
else {
	console.error('usage: node encoders.mjs receipts|record OUTDIR');
	process.exit(2);
}
