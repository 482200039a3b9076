// SPDX-License-Identifier: LGPL-2.1-or-later
// TypeScript declarations for kiosk-client.mjs (the kioskd client).

export type CompletionCode =
  | "success" | "canceled" | "timeout" | "noDevice" | "noCard" | "paperOut" | "coverOpen"
  | "hardwareError" | "invalidData" | "unsupportedCommand" | "deviceBusy" | "unauthorized";

export type AcknowledgeStatus =
  | "ok" | "invalidMessage" | "invalidRequestId" | "unauthorized" | "tooManyRequests";

/** A failed command: the completion code, the refusing acknowledge status,
 *  or "connectionFailed" / "connectionClosed". */
export class KioskError extends Error {
  readonly code: CompletionCode | AcknowledgeStatus | "connectionFailed" | "connectionClosed";
  readonly command: string;
  readonly requestId: number | null;
}

export interface DeviceStatus {
  class: "idcard" | "printer" | "scanner";
  uri: string;
  state: "online" | "offline" | "busy" | "unknown";
  error?: string;
  paper?: PaperState;
  coverOpen?: boolean | null;
  online?: boolean | null;
  cardPresent?: boolean;
}

export type PaperState = "ok" | "near_end" | "out" | "unknown";

export interface PrinterStatus {
  paper: PaperState;
  coverOpen: boolean | null;   // null: the printer cannot tell
  online: boolean | null;
}

/** The card as libkiosk's card JSON; names and numbers masked without the pii right. */
export interface IdCard {
  card_type: "resident" | "hk_macau_taiwan" | "foreign_permanent" | "foreign_permanent_2023";
  name: string | null;
  english_name: string | null;
  sex: string | null;
  sex_code: string | null;
  nation: string | null;
  nation_code: string | null;
  nationality: string | null;
  birth_date: string | null;
  address: string | null;
  id_number: string | null;
  id_number_valid: boolean | null;
  issuer: string | null;
  valid_from: string | null;
  valid_until: string | null;
  pass_number: string | null;
  issue_count: string | null;
  photo_wlt?: string;          // base64, with {photo: true} and the pii right
}

export type ReceiptItem =
  | { text: string; align?: "left" | "center" | "right"; bold?: boolean; size?: number }
  | { qr: string; module?: number; ecc?: "L" | "M" | "Q" | "H" }
  | { barcode: string; symbology?: "code128" | "code39" | "ean13" | "itf"; height?: number;
      hri?: "none" | "below" }
  | { image: string }          // a data:image/png;base64,… URI (kioskd reads no files)
  | { feed: number }
  | { rule: true }
  | { columns: [string, string] }
  | { cut: "full" | "partial" };

export interface ReceiptDocument {
  profile?: string;
  items: ReceiptItem[];
}

export interface CommandOptions {
  /** ms; 0 or omitted: the command's default. */
  timeout?: number;
}

export interface ConnectOptions {
  token?: string;
  WebSocket?: { new (url: string): WebSocket };
}

export type UnsolicitedEvent =
  | "IdCard.CardInserted" | "IdCard.CardRemoved" | "Printer.StatusChanged"
  | "Scanner.Scanned" | "Common.DeviceChanged";

export class KioskClient {
  static connect(url: string, options?: ConnectOptions): Promise<KioskClient>;
  constructor(url: string, options?: ConnectOptions);
  command(name: string, payload?: object,
          options?: CommandOptions & { onEvent?: (name: string, payload: any) => void }): Promise<any>;
  status(options?: CommandOptions): Promise<{ devices: DeviceStatus[] }>;
  readIdCard(options?: CommandOptions & { photo?: boolean }): Promise<IdCard>;
  print(document: ReceiptDocument,
        options?: CommandOptions & { onWaiting?: (reason: "paperOut" | "coverOpen") => void }):
    Promise<{}>;
  printerStatus(options?: CommandOptions): Promise<PrinterStatus>;
  scan(options?: CommandOptions): Promise<{ code: string }>;
  cancel(requestIds?: number[]): Promise<{}>;
  on(event: "Printer.StatusChanged", fn: (payload: PrinterStatus) => void): () => void;
  on(event: "Scanner.Scanned", fn: (payload: { code: string }) => void): () => void;
  on(event: "IdCard.CardInserted" | "IdCard.CardRemoved", fn: (payload: { uri: string }) => void): () => void;
  on(event: "Common.DeviceChanged",
     fn: (payload: { class: string; uri: string; state: string; error?: string }) => void): () => void;
  on(event: "close", fn: (payload: { code: number; reason: string }) => void): () => void;
  on(event: "*", fn: (payload: any, name: string) => void): () => void;
  close(): void;
}

export default KioskClient;
