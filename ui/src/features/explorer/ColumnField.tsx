// One column's input in the explorer's row forms (edit, new row): a choice for booleans, a
// text area for JSON, a masked box for a secret typed in, a text box otherwise; the column's
// type, whether it is required, its default, and the problem with what was typed.
import type { ColumnSummary } from "../../api";
import type { Parsed } from "./rowEditing";

export function problemOf(parsed: Parsed | undefined): string | null {
  return parsed && !parsed.ok ? parsed.error : null;
}

interface Props {
  column: ColumnSummary;
  id: string;
  text: string;
  problem: string | null;
  onChange: (text: string) => void;
  /** Shown when the input is left empty (a new row's default). */
  placeholder?: string;
}

export function ColumnField({ column: c, id, text, problem, onChange, placeholder }: Props) {
  const secret = c.badges.includes("secret") || c.badges.includes("prefix");
  return (
    <div className="explorer-field">
      <label htmlFor={id}>
        {c.name}{" "}
        <span className="muted">
          {c.sql_type}
          {c.nullable ? "" : ", required"}
        </span>
      </label>
      {c.kind === "bool" ? (
        <select id={id} value={text} onChange={(e) => onChange(e.target.value)} data-testid={`edit-${c.name}`}>
          <option value="">{placeholder ?? "(null)"}</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : c.kind === "json" ? (
        <textarea id={id} rows={4} value={text} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} spellCheck={false} data-testid={`edit-${c.name}`} />
      ) : (
        <input
          id={id}
          type={secret ? "password" : "text"}
          autoComplete="off"
          value={text}
          placeholder={placeholder}
          inputMode={c.kind === "int" || c.kind === "number" ? "decimal" : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`edit-${c.name}`}
        />
      )}
      {problem && (
        <span className="field-error" role="alert">
          {c.name}: {problem}
        </span>
      )}
    </div>
  );
}
