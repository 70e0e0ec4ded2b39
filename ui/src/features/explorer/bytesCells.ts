// Bytes cells of an explored table: a list row carries each cell's size, the drawer asks for a
// preview (image type, first bytes) and shows an image through the `photo:` scheme, whose cell
// address is the hex of {table, column, key} as JSON (src-tauri/src/photos.rs parses it).
import type { Row } from "../../api";
import { photoBase } from "../profiles/photoUrl";

/** The `photo:` address of the image in one bytes cell, or of its thumbnail. */
export function cellImageUrl(table: string, column: string, key: Row, thumbnail: boolean, userAgent: string = navigator.userAgent): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ table, column, key }));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${photoBase(userAgent)}/cell/${hex}${thumbnail ? "/thumb" : ""}`;
}

const LINE = 16;

/** A hex dump of `hex` (two digits a byte): 16 bytes a line — offset, bytes, printable ASCII. */
export function hexDump(hex: string): string[] {
  const bytes = hex.match(/[0-9a-f]{2}/gi)?.map((pair) => parseInt(pair, 16)) ?? [];
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += LINE) {
    const chunk = bytes.slice(at, at + LINE);
    const digits = chunk.map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const text = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${at.toString(16).padStart(8, "0")}  ${digits.padEnd(LINE * 3 - 1)}  ${text}`);
  }
  return lines;
}
