import { useCallback, useEffect, useState } from "react";

import { formatHash, parseHash, type Route } from "./route";

/** The current route, following back/forward; `go` pushes a new history entry. */
export function useRoute(): [Route, (next: Route) => void] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  const go = useCallback((next: Route) => {
    window.location.hash = formatHash(next);
  }, []);
  return [route, go];
}
