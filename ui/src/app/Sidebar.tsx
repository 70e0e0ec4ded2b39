// The screens, grouped as in SCREENS. The sidebar scrolls on its own (the page never does),
// shows a shadow at an edge with more entries past it, is compact enough to hold every entry
// in a 720 px tall window, and keeps the current screen's entry in view when the screen changes
// (from the palette, a link or back/forward).
import { useEffect, useRef } from "react";

import { SCREENS } from "./screens";
import "./Sidebar.css";

export function Sidebar({ current }: { current: string }) {
  const nav = useRef<HTMLElement>(null);
  useEffect(() => {
    const entry = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    // (jsdom has no scrollIntoView)
    entry?.scrollIntoView?.({ block: "nearest" });
  }, [current]);
  return (
    <nav className="sidebar" aria-label="Screens" ref={nav}>
      {SCREENS.map((s, i) => {
        const heading = i === 0 || SCREENS[i - 1].group !== s.group ? s.group : null;
        return (
          <div key={s.id}>
            {heading && <div className="nav-group">{heading}</div>}
            <a href={`#/${s.id}`} aria-current={s.id === current ? "page" : undefined} data-testid={`nav-${s.id}`}>
              {s.label}
            </a>
          </div>
        );
      })}
    </nav>
  );
}
