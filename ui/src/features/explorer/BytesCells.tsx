// The drawer's view of a row's bytes cells: each cell's size and image type, the image itself
// (a thumbnail, the whole image on click) when it is one, and a hex dump of its first bytes.
// Bytes kept as a secret are never asked for.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { api, type Row, type TableSummary } from "../../api";
import { errorText } from "../../app/toasts";
import { exactBytes, formatBytes } from "../../lib/format";
import { cellImageUrl, hexDump } from "./bytesCells";
import { keyOf } from "./rowEditing";

function BytesCell({ table, column, rowKey }: { table: string; column: string; rowKey: Row }) {
  const [whole, setWhole] = useState(false);
  const preview = useQuery({
    queryKey: ["bytes", table, column, rowKey],
    queryFn: () => api.previewBytes(table, column, rowKey),
  });
  const p = preview.data;
  return (
    <section className="explorer-bytes" data-testid={`bytes-${column}`}>
      <h3>
        {column}{" "}
        {p && (
          <span className="muted" title={exactBytes(p.size)}>
            {formatBytes(p.size)}
            {p.content_type ? ` · ${p.content_type}` : " · not an image"}
          </span>
        )}
      </h3>
      {preview.isError && <p role="alert">{errorText(preview.error)}</p>}
      {preview.isSuccess && !p && <p className="muted">Empty (NULL).</p>}
      {p?.content_type && p.loadable && (
        <button type="button" className="explorer-image" onClick={() => setWhole(!whole)} title={whole ? "Show the thumbnail" : "Show the whole image"}>
          <img src={cellImageUrl(table, column, rowKey, !whole)} alt={`${column}: ${p.content_type}`} data-testid={`bytes-image-${column}`} />
        </button>
      )}
      {p && !p.loadable && <p className="muted">Too large to load here: its first bytes only.</p>}
      {p && p.size > 0 && (
        <>
          <pre className="hex-dump" data-testid={`hex-${column}`}>
            {hexDump(p.head_hex).join("\n")}
          </pre>
          {p.size * 2 > p.head_hex.length && (
            <p className="muted">
              The first {formatBytes(p.head_hex.length / 2)} of {exactBytes(p.size)}.
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function BytesCells({ summary, row }: { summary: TableSummary; row: Row }) {
  const columns = summary.columns.filter((c) => c.kind === "bytes" && !c.badges.includes("secret") && typeof row[c.name] === "number");
  if (!columns.length || !summary.primary_key.length) return null;
  const rowKey = keyOf(summary, row);
  return (
    <>
      {columns.map((c) => (
        <BytesCell key={c.name} table={summary.name} column={c.name} rowKey={rowKey} />
      ))}
    </>
  );
}
