// The drawer's bytes cells against a mocked IPC: an image cell shows its size, type, thumbnail
// (the whole image on click) and first bytes; other bytes their hex dump only; a secret kept as
// bytes is never asked for.
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import type { TableSummary } from "../../api";
import { mockBackend, renderWithProviders } from "../../test/ipc";
import { BytesCells } from "./BytesCells";

function column(name: string, kind: "int" | "bytes", badges: ("bytes" | "secret")[] = []) {
  return { name, sql_type: kind === "int" ? "INTEGER" : "BLOB", kind, nullable: true, sortable: false, badges, references: null, default: null };
}

const SUMMARY: TableSummary = {
  name: "attachments",
  columns: [column("id", "int"), column("content", "bytes", ["bytes"]), column("notes", "bytes", ["bytes"]), column("secret_key", "bytes", ["bytes", "secret"])],
  primary_key: ["id"],
  indexes: [],
  foreign_keys: [],
  referenced_by: [],
  badges: ["bytes", "secret"],
  row_estimate: 1,
  whodis_model: false,
};
const PNG_HEAD = "89504e470d0a1a0a" + "00".repeat(120);

afterEach(() => clearMocks());

describe("bytes cells in the drawer", () => {
  it("previews each bytes cell, shows an image through the photo scheme, and never asks for a secret", async () => {
    const all = mockBackend((cmd, args) => {
      // the session provider asks who is signed in; the drawer needs nobody
      if (cmd === "session_info") return new Promise(() => {});
      if (cmd !== "preview_bytes") throw new Error(`unexpected command ${cmd}`);
      return args.column === "content"
        ? { size: 5000, content_type: "image/png", head_hex: PNG_HEAD, loadable: true }
        : { size: 3, content_type: null, head_hex: "414243", loadable: true };
    });
    renderWithProviders(<BytesCells summary={SUMMARY} row={{ id: 7, content: 5000, notes: 3, secret_key: null }} />);

    const image = (await screen.findByTestId("bytes-image-content")) as HTMLImageElement;
    expect(image.src).toMatch(/^photo:\/\/localhost\/cell\/[0-9a-f]+\/thumb$/);
    expect(screen.getByTestId("bytes-content").textContent).toContain("4.9 KiB · image/png");
    expect(screen.getByTestId("hex-content").textContent).toContain("89 50 4e 47 0d 0a 1a 0a");
    fireEvent.click(image);
    expect((screen.getByTestId("bytes-image-content") as HTMLImageElement).src).not.toMatch(/\/thumb$/);

    expect((await screen.findByTestId("hex-notes")).textContent).toBe("00000000  41 42 43" + " ".repeat(39) + "  ABC");
    expect(screen.getByTestId("bytes-notes").textContent).toContain("3 B · not an image");
    expect(screen.queryByTestId("bytes-image-notes")).toBeNull();

    expect(screen.queryByTestId("bytes-secret_key")).toBeNull();
    const calls = all.filter((c) => c.cmd === "preview_bytes");
    expect(calls.map((c) => c.args.column).sort()).toEqual(["content", "notes"]);
    expect(calls[0].args.key).toEqual({ id: 7 });
  });
});
