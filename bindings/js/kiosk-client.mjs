// SPDX-License-Identifier: LGPL-2.1-or-later
/**
 * kiosk-client.mjs — the browser (and Node ≥ 22) client of kioskd, the local
 * device service of libkiosk. One ES module, no dependencies.
 *
 *   import { KioskClient } from "./kiosk-client.mjs";
 *   const kiosk = await KioskClient.connect("ws://127.0.0.1:8765/kiosk/v1", { token });
 *   const card = await kiosk.readIdCard({ timeout: 30000 });   // masked unless the token has pii
 *   await kiosk.print({ items: [{ text: "受理回执" }, { qr: "…" }, { cut: "full" }] });
 *   kiosk.on("IdCard.CardInserted", (payload) => …);
 *
 * Every call sends one command and resolves with the completion's payload
 * when its completionCode is "success". Otherwise the promise rejects with a
 * KioskError whose `code` is the completion code ("noCard", "paperOut", …)
 * or the refusing acknowledge status ("unauthorized", "tooManyRequests", …).
 * The protocol is described in docs/kioskd.md of libkiosk.
 */

/** A failed command: `code` is the completion code or the acknowledge status. */
export class KioskError extends Error {
  constructor(code, message, command, requestId) {
    super(message ? `${command}: ${code}: ${message}` : `${command}: ${code}`);
    this.name = "KioskError";
    this.code = code;
    this.command = command;
    this.requestId = requestId;
  }
}

export class KioskClient {
  /**
   * Opens a connection. `url` is ws(s)://HOST:PORT/kiosk/v1; `options.token`
   * is added as ?token=…; `options.WebSocket` replaces the global WebSocket.
   */
  static connect(url, options = {}) {
    const client = new KioskClient(url, options);
    return client._opened.then(() => client);
  }

  constructor(url, options = {}) {
    const WS = options.WebSocket || globalThis.WebSocket;
    if (!WS) throw new Error("no WebSocket implementation");
    const u = new URL(url);
    if (options.token) u.searchParams.set("token", options.token);
    this._nextId = 1;
    this._pending = new Map();   // requestId -> {name, resolve, reject, onEvent}
    this._listeners = new Map(); // event name -> Set(fn)
    this._ws = new WS(u.toString());
    this._opened = new Promise((resolve, reject) => {
      this._ws.onopen = () => resolve();
      this._ws.onerror = () => reject(new KioskError("connectionFailed",
        "cannot connect (wrong origin, token or address?)", "connect", null));
    });
    this._ws.onmessage = (ev) => this._onMessage(ev.data);
    this._ws.onclose = (ev) => {
      const err = new KioskError("connectionClosed", `closed (${ev.code})`, "connection", null);
      for (const [id, p] of this._pending) p.reject(new KioskError("connectionClosed",
        "the connection closed before completion", p.name, id));
      this._pending.clear();
      this._emit("close", { code: ev.code, reason: ev.reason, error: err });
    };
  }

  /** Sends command `name` with `payload`; resolves with the completion payload. */
  command(name, payload = {}, { timeout, onEvent } = {}) {
    const requestId = this._nextId++;
    const header = { type: "command", name, requestId };
    if (timeout !== undefined) header.timeout = timeout;
    return new Promise((resolve, reject) => {
      this._pending.set(requestId, { name, resolve, reject, onEvent });
      try {
        this._ws.send(JSON.stringify({ header, payload }));
      } catch (e) {
        this._pending.delete(requestId);
        reject(new KioskError("connectionClosed", String(e), name, requestId));
      }
    });
  }

  /** Common.Status → {devices: [{class, uri, state, …}]}. */
  status(options) { return this.command("Common.Status", {}, options); }

  /** IdCard.Read → the card (masked unless the token has pii). `photo` needs pii. */
  readIdCard({ photo = false, ...options } = {}) {
    return this.command("IdCard.Read", { photo }, options);
  }

  /** Printer.Print of a receipt document; resolves when the printer took the whole job.
   *  options.onWaiting(reason) is called on Printer.Waiting ("paperOut" | "coverOpen"). */
  print(document, { onWaiting, ...options } = {}) {
    const onEvent = (name, payload) => {
      if (name === "Printer.Waiting" && onWaiting) onWaiting(payload.reason);
    };
    return this.command("Printer.Print", { document }, { ...options, onEvent });
  }

  /** Printer.Status → {paper, coverOpen, online}. */
  printerStatus(options) { return this.command("Printer.Status", {}, options); }

  /** Scanner.Read → {code}. */
  scan(options) { return this.command("Scanner.Read", {}, options); }

  /** Common.Cancel of the given requestIds (all of this connection's when omitted). */
  cancel(requestIds) {
    return this.command("Common.Cancel", requestIds ? { requestIds } : {});
  }

  /** Listens to unsolicited events ("IdCard.CardInserted", …, or "*" for all, "close").
   *  Returns a function that removes the listener. */
  on(event, fn) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this._listeners.get(event)?.delete(fn);
  }

  /** Closes the connection; pending commands reject with connectionClosed. */
  close() { this._ws.close(); }

  _emit(name, payload) {
    for (const key of [name, "*"]) {
      for (const fn of this._listeners.get(key) || []) {
        try { fn(payload, name); } catch (e) { setTimeout(() => { throw e; }); }
      }
    }
  }

  _onMessage(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    const h = msg && msg.header;
    if (!h) return;
    if (h.type === "unsolicited") { this._emit(h.name, msg.payload || {}); return; }
    const p = this._pending.get(h.requestId);
    if (!p) return;
    if (h.type === "acknowledge") {
      if (h.status !== "ok") {
        this._pending.delete(h.requestId);
        p.reject(new KioskError(h.status, h.errorDescription, p.name, h.requestId));
      }
    } else if (h.type === "event") {
      if (p.onEvent) p.onEvent(h.name, msg.payload || {});
    } else if (h.type === "completion") {
      this._pending.delete(h.requestId);
      if (h.completionCode === "success") p.resolve(msg.payload || {});
      else p.reject(new KioskError(h.completionCode, h.errorDescription, p.name, h.requestId));
    }
  }
}

export default KioskClient;
