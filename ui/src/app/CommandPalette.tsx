// Ctrl/Cmd+K: type to jump to any screen or person (a user or an employee, by email);
// ↑/↓ choose, Enter goes, Esc closes.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type KeyboardEvent } from "react";

import { api } from "../api";
import type { Route } from "./route";
import { matchScreens } from "./screens";

interface Choice {
  key: string;
  label: string;
  hint: string;
  route: Route;
}

/** People whose email contains `text`, as routes to their row (users first, then employees). */
function usePeople(text: string): Choice[] {
  const needle = text.trim();
  const enabled = needle.length >= 3;
  const find = (table: "users" | "employee_profiles") =>
    api.listRows(table, { filters: [{ column: "email", op: "contains", value: needle }], limit: 5 });
  const users = useQuery({ queryKey: ["palette", "users", needle], queryFn: () => find("users"), enabled });
  const employees = useQuery({
    queryKey: ["palette", "employee_profiles", needle],
    queryFn: () => find("employee_profiles"),
    enabled,
  });
  if (!enabled) return [];
  const choices = (rows: typeof users.data, screen: string, hint: string): Choice[] =>
    (rows?.rows ?? []).map((r) => ({
      key: `${screen}-${String(r.id)}`,
      label: String(r.email),
      hint,
      route: { screen, chips: [{ column: "email", op: "eq", value: String(r.email) }], sort: null },
    }));
  return [...choices(users.data, "users", "user"), ...choices(employees.data, "employee_profiles", "employee")];
}

export function CommandPalette({ onGo, onClose }: { onGo: (route: Route) => void; onClose: () => void }) {
  const [text, setText] = useState("");
  const [index, setIndex] = useState(0);
  const screens: Choice[] = matchScreens(text).map((s) => ({
    key: s.id,
    label: s.label,
    hint: s.group,
    route: { screen: s.id, chips: [], sort: null },
  }));
  const matches = [...screens, ...usePeople(text)];
  useEffect(() => setIndex(0), [text]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      // the palette's Esc is not also a drawer's Esc
      e.stopPropagation();
      onClose();
    }
    else if (e.key === "ArrowDown") setIndex((i) => Math.min(matches.length - 1, i + 1));
    else if (e.key === "ArrowUp") setIndex((i) => Math.max(0, i - 1));
    else if (e.key === "Enter" && matches[index]) onGo(matches[index].route);
    else return;
    e.preventDefault();
  }

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-label="Go to screen or person" data-testid="command-palette">
        <input
          autoFocus
          placeholder="Go to a screen, or type 3+ letters of an email…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Screen or person"
        />
        <ul role="listbox">
          {matches.map((m, i) => (
            <li key={m.key} role="option" aria-selected={i === index} onMouseDown={() => onGo(m.route)}>
              {m.label} <span className="muted">{m.hint}</span>
            </li>
          ))}
          {matches.length === 0 && <li className="muted">Nothing matches.</li>}
        </ul>
      </div>
    </div>
  );
}
