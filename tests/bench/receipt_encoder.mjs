// SPDX-License-Identifier: LGPL-2.1-or-later
// The bench receipt of bench_receipt.c built with three npm ESC/POS encoders, each configured
// at its best for the same printed result (bench_receipt.sh checks that with kiosk-sim
// printer before timing): native QR with GS ( k, or a raster QR with GS v 0.
// None of them has Chinese support that fits a Chinese printer (tests/printer/corpus/README.md),
// so Chinese text is GB18030 (iconv-lite) inside FS & … FS . as an application must send it;
// columns are padded by display width (a full-width character takes two columns), the
// paragraph wrapped the same way, and the title line and the QR quiet zone get libkiosk's
// spacing (ESC 3 54 / ESC J 24) so the pages are the same dot for dot.
//   node receipt_encoder.mjs            → "encoder variant us_per_receipt bytes" lines
//   node receipt_encoder.mjs --dump DIR → DIR/<encoder>-<variant>.bin
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { Printer as EscposBuffer, InMemory } from 'escpos-buffer';
import { Printer as NodeEscpos, Image as NodeEscposImage } from '@node-escpos/core';
import iconv from 'iconv-lite';
import QRCode from 'qrcode';
import { writeFileSync } from 'node:fs';

const materials = ['居民身份证', '户口簿', '结婚证', '出生医学证明', '社保卡',
	'不动产权证书', '营业执照', '授权委托书', '近期免冠照片', '申请表'];
const forms = ['原件1份', '复印件2份', '原件及复印件', '电子'];
const CASE = 'BJ2026112400123';
const QR_DATA = 'https://zwfw.example.gov.cn/case/BJ2026112400123';
const PARAGRAPH = '请妥善保管本回执。可在自助终端扫描下方二维码查询办件进度，也可拨打咨询电话12345。承诺件将在5个工作日内办结，办结后短信通知您到窗口领取。';
const COLUMNS = 48;
const QR_MODULE = 6;

const width = (s) => { let w = 0; for (const ch of s) w += ch.codePointAt(0) < 0x80 ? 1 : 2; return w; };
const gb = (s) => iconv.encode(s, 'gb18030');

function wrap(s, max) {
	const lines = [];
	let cur = '', w = 0;
	for (const ch of s) {
		const cw = ch.codePointAt(0) < 0x80 ? 1 : 2;
		if (w + cw > max) { lines.push(cur); cur = ''; w = 0; }
		cur += ch; w += cw;
	}
	if (cur) lines.push(cur);
	return lines;
}

const row = (left, right) => left + ' '.repeat(Math.max(1, COLUMNS - width(left) - width(right))) + right;
const rows = () => {
	const r = [row('办件编号', CASE)];
	for (let i = 0; i < 20; i++)
		r.push(row(String(i + 1).padStart(2, '0') + ' ' + materials[i % 10], forms[i % 4]));
	return r;
};
const RULE = '-'.repeat(COLUMNS);

/* The QR as rows of MSB-first bytes for GS v 0 (escpos-buffer can send images only with ESC *). */
function qrRaster() {
	const qr = QRCode.create(QR_DATA, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size, size = n * QR_MODULE, xb = Math.ceil(size / 8);
	const data = new Uint8Array(xb * size);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++)
			if (qr.modules.get(Math.floor(y / QR_MODULE), Math.floor(x / QR_MODULE)))
				data[y * xb + (x >> 3)] |= 0x80 >> (x & 7);
	return { data, xb, rows: size, width: xb * 8 };
}
const gsv0 = (r) => [0x1d, 0x76, 0x30, 0, r.xb & 255, r.xb >> 8, r.rows & 255, r.rows >> 8, ...r.data];

/* The same QR as RGBA pixels, for the encoders that take images. */
function qrRgba() {
	const qr = QRCode.create(QR_DATA, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size, size = n * QR_MODULE, w = Math.ceil(size / 8) * 8;
	const px = new Uint8ClampedArray(w * size * 4).fill(255);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++)
			if (qr.modules.get(Math.floor(y / QR_MODULE), Math.floor(x / QR_MODULE))) {
				const o = (y * w + x) * 4;
				px[o] = px[o + 1] = px[o + 2] = 0;
			}
	return { data: px, width: w, height: size };
}

/* ---- @point-of-sale/receipt-printer-encoder ------------------------------------------- */
function rpe(raster) {
	// its align() pads what text() prints and does nothing to raw() bytes: ESC a goes raw
	const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: COLUMNS, feedBeforeCut: 0, newline: '\n',
		imageMode: 'raster', feedAfterBlock: false });
	enc.initialize().raw([0x1c, 0x26, 0x1b, 0x33, 30, 0x1b, 0x61, 1]);
	enc.bold(true).size(2, 2).raw([0x1b, 0x33, 54, ...gb('XX市政务服务中心'), 0x0a, 0x1b, 0x33, 30]);
	enc.bold(false).size(1, 1).raw([...gb('受理回执'), 0x0a, 0x1b, 0x61, 0]);
	enc.raw([...gb(RULE), 0x0a]);
	for (const l of rows())
		enc.raw([...gb(l), 0x0a]);
	enc.raw([...gb(RULE), 0x0a]);
	for (const l of wrap(PARAGRAPH, COLUMNS))
		enc.raw([...gb(l), 0x0a]);
	enc.align('center').raw([0x1b, 0x4a, 24]);
	if (raster) {
		const img = qrRgba();
		enc.image(img, img.width, img.height, 'threshold');
	} else {
		enc.qrcode(QR_DATA, { model: 2, size: QR_MODULE, errorlevel: 'm' });
	}
	enc.raw([0x1b, 0x4a, 24, 0x1c, 0x2e]).cut('partial');
	return enc.encode();
}

/* ---- escpos-buffer (its API is async: awaited as an application does) --------------------- */
async function escposBuffer(raster) {
	const conn = new InMemory();
	const p = await EscposBuffer.CONNECT('TM-T20', conn);
	const raw = (a) => conn.write(Buffer.from(a));
	await raw([0x1c, 0x26, 0x1b, 0x33, 30]);
	await p.setAlignment(1);
	await raw([0x1b, 0x45, 1, 0x1d, 0x21, 0x11, 0x1b, 0x33, 54, ...gb('XX市政务服务中心'), 0x0a, 0x1b, 0x33, 30,
		0x1b, 0x45, 0, 0x1d, 0x21, 0, ...gb('受理回执'), 0x0a]);
	await p.setAlignment(0);
	await raw([...gb(RULE), 0x0a]);
	for (const l of rows())
		await raw([...gb(l), 0x0a]);
	await raw([...gb(RULE), 0x0a]);
	for (const l of wrap(PARAGRAPH, COLUMNS))
		await raw([...gb(l), 0x0a]);
	await p.setAlignment(1);
	await raw([0x1b, 0x4a, 24]);
	if (raster)
		await raw(gsv0(qrRaster()));
	else {
		// its qrcode() sends ECC L; the same symbol as the others needs ECC M
		await raw([0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, QR_MODULE,
			0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31]);
		const len = QR_DATA.length + 3;
		await raw([0x1d, 0x28, 0x6b, len & 255, len >> 8, 0x31, 0x50, 0x30, ...Buffer.from(QR_DATA), 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
	}
	await raw([0x1b, 0x4a, 24, 0x1c, 0x2e, 0x1d, 0x56, 0x42, 0x00]);
	return conn.buffer();
}

/* ---- @node-escpos/core ---------------------------------------------------------------------- */
function nodeEscpos(raster) {
	const p = new NodeEscpos({ write: (b, cb) => cb && cb(), close: (cb) => cb && cb() }, { encoding: 'GB18030', width: COLUMNS });
	p.hardware('init').raw(Buffer.from([0x1c, 0x26])).lineSpace(30);
	p.align('ct').style('b').size(2, 2).lineSpace(54).text('XX市政务服务中心').lineSpace(30);
	p.style('normal').size(1, 1).text('受理回执');
	p.align('lt').text(RULE);
	for (const l of rows())
		p.text(l);
	p.text(RULE);
	for (const l of wrap(PARAGRAPH, COLUMNS))
		p.text(l);
	p.align('ct').raw(Buffer.from([0x1b, 0x4a, 24]));
	if (raster) {
		const img = qrRgba();
		p.raster(new NodeEscposImage({ data: img.data, shape: [img.width, img.height, 4] }), 'normal');
	} else
		p.qrcode(QR_DATA, 0, 'M', QR_MODULE); // its native QR is ESC Z (GS Z 2 first)
	p.raw(Buffer.from([0x1b, 0x4a, 24, 0x1c, 0x2e, 0x1d, 0x56, 0x42, 0x00]));
	return p.buffer.flush();
}

const PEERS = { 'receipt-printer-encoder': rpe, 'escpos-buffer': escposBuffer, 'node-escpos': nodeEscpos };
const VARIANTS = [['native_qr', false], ['raster_qr', true]];

const args = process.argv.slice(2);
if (args[0] === '--dump') {
	for (const [name, build] of Object.entries(PEERS))
		for (const [variant, raster] of VARIANTS)
			writeFileSync(`${args[1]}/${name}-${variant}.bin`, Buffer.from(await build(raster)));
} else {
	for (const [name, build] of Object.entries(PEERS))
		for (const [variant, raster] of VARIANTS) {
			let bytes = 0;
			for (let i = 0; i < 200; i++) bytes = (await build(raster)).length;
			let runs = 0;
			const t0 = process.hrtime.bigint();
			for (;;) {
				await build(raster);
				runs++;
				if (runs % 20 === 0 && Number(process.hrtime.bigint() - t0) > 1e9) break;
			}
			const us = Number(process.hrtime.bigint() - t0) / 1e3 / runs;
			console.log(`${name} ${variant} ${us.toFixed(2)} ${bytes}`);
		}
}
