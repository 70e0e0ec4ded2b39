// Ctrl/Cmd+K: type to jump to any screen; ↑/↓ choose, Enter goes, Esc closes.
import { useEffect, useState, type KeyboardEvent } from "react";

import { matchScreens, type Screen } from "./screens";

export function CommandPalette({ onGo, onClose }: { onGo: (screen: Screen) => void; onClose: () => void }) {
  const [text, setText] = useState("");
  const [index, setIndex] = useState(0);
  const matches = matchScreens(text);
  useEffect(() => setIndex(0), [text]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") onClose();
    else if (e.key === "ArrowDown") setIndex((i) => Math.min(matches.length - 1, i + 1));
    else if (e.key === "ArrowUp") setIndex((i) => Math.max(0, i - 1));
    else if (e.key === "Enter" && matches[index]) onGo(matches[index]);
    else return;
    e.preventDefault();
  }

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-label="Go to screen" data-testid="command-palette">
        <input
          autoFocus
          placeholder="Go to…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Screen name"
        />
        <ul role="listbox">
          {matches.map((s, i) => (
            <li key={s.id} role="option" aria-selected={i === index} onMouseDown={() => onGo(s)}>
              {s.label} <span className="muted">{s.group}</span>
            </li>
          ))}
          {matches.length === 0 && <li className="muted">No screen matches.</li>}
        </ul>
      </div>
    </div>
  );
}
