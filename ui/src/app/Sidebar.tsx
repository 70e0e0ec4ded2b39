// The screens, grouped as in SCREENS. The sidebar scrolls on its own (the page never does),
// shows a shadow at an edge with more entries past it, is compact enough to hold every entry
// in a 720 px tall window, and keeps the current screen's entry in view when the screen changes
// (from the palette, a link or back/forward).
import { useEffect, useRef } from "react";

import { screensFor } from "./screens";
import { useSession } from "./session";
import "./Sidebar.css";

export function Sidebar({ current }: { current: string }) {
  const nav = useRef<HTMLElement>(null);
  // any other database than WhoDis's is browsed through the explorer only
  const screens = screensFor(useSession()?.whodis !== false);
  useEffect(() => {
    const entry = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    // (jsdom has no scrollIntoView)
    entry?.scrollIntoView?.({ block: "nearest" });
  }, [current]);
  return (
    <nav className="sidebar" aria-label="Screens" ref={nav}>
      {screens.map((s, i) => {
        const heading = i === 0 || screens[i - 1].group !== s.group ? s.group : null;
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
