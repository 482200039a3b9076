// SPDX-License-Identifier: LGPL-2.1-or-later
// The bench receipt of bench_receipt.c, built with @point-of-sale/receipt-printer-encoder.
// That encoder has no Chinese (GB18030) text and no raster-QR fallback, so this does what an
// application using it must do: GB18030 through iconv-lite sent with raw() inside FS & … FS .,
// its own width-aware padding and wrapping, and (raster variant) the QR matrix from the
// `qrcode` package turned into an image for image(). Prints "name us_per_receipt bytes".
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import iconv from 'iconv-lite';
import QRCode from 'qrcode';

const materials = ['居民身份证', '户口簿', '结婚证', '出生医学证明', '社保卡',
	'不动产权证书', '营业执照', '授权委托书', '近期免冠照片', '申请表'];
const forms = ['原件1份', '复印件2份', '原件及复印件', '电子'];
const QR_DATA = 'https://zwfw.example.gov.cn/case/BJ2026112400123';
const PARAGRAPH = '请妥善保管本回执。可在自助终端扫描下方二维码查询办件进度，也可拨打咨询电话12345。承诺件将在5个工作日内办结，办结后短信通知您到窗口领取。';
const COLUMNS = 48;

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

function columns(enc, left, right) {
	const pad = COLUMNS - width(left) - width(right);
	enc.raw(gb(left + ' '.repeat(Math.max(1, pad)) + right)).newline();
}

function qrImage(data, module) {
	const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size, size = n * module, w = Math.ceil(size / 8) * 8;
	const px = new Uint8ClampedArray(w * size * 4).fill(255);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++)
			if (qr.modules.get(Math.floor(y / module), Math.floor(x / module))) {
				const o = (y * w + x) * 4;
				px[o] = px[o + 1] = px[o + 2] = 0;
			}
	return { data: px, width: w, height: size };
}

function build(raster) {
	const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: COLUMNS, feedBeforeCut: 0 });
	enc.initialize().raw([0x1c, 0x26]);
	enc.align('center').bold(true).size(2, 2).raw(gb('XX市政务服务中心')).newline();
	enc.bold(false).size(1, 1).raw(gb('受理回执')).newline();
	enc.align('left').rule();
	columns(enc, '办件编号', 'BJ2026112400123');
	for (let i = 0; i < 20; i++)
		columns(enc, String(i + 1).padStart(2, '0') + ' ' + materials[i % 10], forms[i % 4]);
	enc.rule();
	for (const line of wrap(PARAGRAPH, COLUMNS))
		enc.raw(gb(line)).newline();
	enc.align('center');
	if (raster) {
		const img = qrImage(QR_DATA, 6);
		enc.image(img, img.width, img.height, 'threshold');
	} else {
		enc.qrcode(QR_DATA, 2, 6, 'm');
	}
	enc.raw([0x1c, 0x2e]).cut('partial');
	return enc.encode();
}

for (const [name, raster] of [['native_qr', false], ['raster_qr', true]]) {
	let bytes = 0;
	for (let i = 0; i < 200; i++) bytes = build(raster).length;
	let runs = 0;
	const t0 = process.hrtime.bigint();
	for (;;) {
		build(raster);
		runs++;
		if (runs % 20 === 0 && Number(process.hrtime.bigint() - t0) > 1e9) break;
	}
	const us = Number(process.hrtime.bigint() - t0) / 1e3 / runs;
	console.log(`${name} ${us.toFixed(2)} ${bytes}`);
}
