// SPDX-License-Identifier: LGPL-2.1-or-later
// kioskd demo page: reads an ID card (masked: the demo token has no pii right)
// and prints an acceptance receipt with a QR code of the case number.
// Open as demo/index.html?server=ws://127.0.0.1:8765/kiosk/v1&token=TOKEN
import { KioskClient } from "../kiosk-client.mjs";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const server = params.get("server") || "ws://127.0.0.1:8765/kiosk/v1";
const token = params.get("token") || undefined;

let kiosk = null;
let card = null;

function say(text, isError = false) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
}

function logEvent(name, payload) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${name} ${JSON.stringify(payload)}`;
  $("events").prepend(li);
}

async function showDevices() {
  const { devices } = await kiosk.status();
  $("devices").replaceChildren(...devices.map((d) => {
    const li = document.createElement("li");
    li.textContent = `${d.class}: ${d.state}` + (d.paper ? ` (纸: ${d.paper})` : "");
    return li;
  }));
}

// A case number for the receipt: date + a running number kept by the page.
function newCaseNumber() {
  const d = new Date();
  const ymd = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
  const n = Math.floor(Math.random() * 1e6);
  return `${ymd}-${String(n).padStart(6, "0")}`;
}

async function readCard() {
  $("read").disabled = true;
  say("请将身份证放在读卡区…");
  try {
    card = await kiosk.readIdCard({ timeout: 30000 });
    $("card-name").textContent = card.name ?? "—";
    $("card-id").textContent = card.id_number ?? "—";
    $("print").disabled = false;
    say("读卡成功");
  } catch (e) {
    say(e.code === "noCard" ? "未检测到身份证，请重试" : `读卡失败：${e.code}`, true);
  } finally {
    $("read").disabled = false;
  }
}

async function printReceipt() {
  if (!card) return;
  $("print").disabled = true;
  const caseNo = newCaseNumber();
  $("case-no").textContent = caseNo;
  const doc = {
    items: [
      { text: "受理回执", align: "center", bold: true, size: 2 },
      { rule: true },
      { columns: ["申请人", card.name ?? ""] },
      { columns: ["办件编号", caseNo] },
      { text: "扫码查询办件进度：" },
      { qr: `KIOSK-CASE:${caseNo}`, module: 6, ecc: "M" },
      { feed: 2 },
      { cut: "full" },
    ],
  };
  say("正在打印…");
  try {
    await kiosk.print(doc, {
      timeout: 60000,
      onWaiting: (reason) => say(reason === "paperOut" ? "打印机缺纸，请联系工作人员" : "打印机盖未关", true),
    });
    $("print-result").textContent = "已打印";
    say("回执已打印，请取走");
  } catch (e) {
    $("print-result").textContent = `失败：${e.code}`;
    say(`打印失败：${e.code}`, true);
  } finally {
    $("print").disabled = false;
  }
}

async function main() {
  try {
    kiosk = await KioskClient.connect(server, { token });
  } catch (e) {
    $("conn").textContent = "连接失败";
    say(String(e.message), true);
    return;
  }
  $("conn").textContent = "已连接";
  kiosk.on("*", (payload, name) => logEvent(name, payload));
  kiosk.on("IdCard.CardRemoved", () => { card = null; $("print").disabled = true; });
  kiosk.on("close", () => { $("conn").textContent = "连接已断开"; });
  $("read").onclick = readCard;
  $("print").onclick = printReceipt;
  $("read").disabled = false;
  await showDevices();
  document.body.dataset.ready = "1";
}

main();
