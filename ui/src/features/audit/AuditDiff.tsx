// The field-level change an audit row records: `additional_data.changes = {field: {before, after}}`.
import type { Value } from "../../api";
import { formatCell } from "../../lib/format";

interface Change {
  field: string;
  before: Value;
  after: Value;
}

function isObject(v: Value | undefined): v is { [key: string]: Value } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The changes in an audit row's `additional_data`, in field order; empty when it has none. */
export function changesOf(additionalData: Value | undefined): Change[] {
  if (!isObject(additionalData) || !isObject(additionalData.changes)) return [];
  return Object.entries(additionalData.changes).map(([field, c]) => ({
    field,
    before: isObject(c) ? (c.before ?? null) : null,
    after: isObject(c) ? (c.after ?? null) : null,
  }));
}

function Cell({ value }: { value: Value }) {
  if (value === null) return <em className="muted">(none)</em>;
  return <span>{typeof value === "object" ? JSON.stringify(value) : formatCell(value)}</span>;
}

export function AuditDiff({ additionalData }: { additionalData: Value | undefined }) {
  const data = isObject(additionalData) ? additionalData : {};
  const changes = changesOf(additionalData);
  const what = [data.operation, data.entity, data.id].filter((v) => v !== undefined && v !== null).map(String);
  return (
    <section className="audit-diff" data-testid="audit-diff">
      {what.length > 0 && <p className="muted">{what.join(" · ")}</p>}
      {changes.length === 0 ? (
        <p className="muted">No field changes recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>field</th>
              <th>before</th>
              <th>after</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <td>{c.field}</td>
                <td className="before">
                  <Cell value={c.before} />
                </td>
                <td className="after">
                  <Cell value={c.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
