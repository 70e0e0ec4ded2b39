// The audit log's columns, rows and a mocked list engine, shared by the DataTable tests.
import { mockBackend } from "../../test/ipc";

export const COLUMNS = [
  { name: "id", kind: "int", nullable: false, sortable: true, sensitive: false },
  { name: "event_type", kind: "text", nullable: false, sortable: true, sensitive: false },
  { name: "message", kind: "text", nullable: true, sortable: false, sensitive: false },
  { name: "additional_data", kind: "json", nullable: true, sortable: false, sensitive: false },
  { name: "api_secret", kind: "text", nullable: true, sortable: false, sensitive: true },
  { name: "photo", kind: "bytes", nullable: true, sortable: false, sensitive: false },
  { name: "created_at", kind: "timestamp", nullable: false, sortable: true, sensitive: false },
];

export const row = (id: number) => ({
  id,
  event_type: "admin",
  message: `event ${id}`,
  additional_data: { operation: "users.update", id },
  created_at: "2026-11-24T10:00:00Z",
});

/** `pages` answers list_rows by cursor: null for the first page; count_rows answers with the
 *  first page's total (the window asks for it apart). */
export function backend(pages: Record<string, unknown> | (() => unknown)) {
  return mockBackend((cmd, args) => {
    if (cmd === "table_columns") return COLUMNS;
    if (cmd === "count_rows") {
      if (typeof pages === "function") return pages();
      return (pages["null"] as { total: unknown }).total;
    }
    if (cmd === "list_rows") {
      if (typeof pages === "function") return pages();
      const cursor = (args as { query: { cursor: string | null } }).query.cursor;
      return pages[String(cursor)];
    }
    return new Promise(() => {}); // the session: not under test here
  });
}
