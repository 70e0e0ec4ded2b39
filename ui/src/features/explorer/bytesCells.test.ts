import { describe, expect, it } from "vitest";

import { cellImageUrl, hexDump } from "./bytesCells";

describe("cellImageUrl", () => {
  it("names the cell by the hex of its table, column and key as JSON", () => {
    const url = cellImageUrl("files", "content", { id: 7 }, true, "Mozilla/5.0 (X11; Linux x86_64)");
    const hex = url.replace("photo://localhost/cell/", "").replace("/thumb", "");
    const json = new TextDecoder().decode(Uint8Array.from(hex.match(/../g)!.map((p) => parseInt(p, 16))));
    expect(JSON.parse(json)).toEqual({ table: "files", column: "content", key: { id: 7 } });
    expect(url.endsWith("/thumb")).toBe(true);
    expect(cellImageUrl("t", "c", { id: "é" }, false, "Windows NT 10.0")).toMatch(/^http:\/\/photo\.localhost\/cell\/[0-9a-f]+$/);
  });
});

describe("hexDump", () => {
  it("shows 16 bytes a line with the offset and the printable text", () => {
    const hex = "89504e470d0a1a0a" + "41".repeat(10);
    const lines = hexDump(hex);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("00000000  89 50 4e 47 0d 0a 1a 0a 41 41 41 41 41 41 41 41  .PNG....AAAAAAAA");
    expect(lines[1]).toBe(`00000010  41 41${" ".repeat(42)}  AA`);
    expect(hexDump("")).toEqual([]);
  });
});
