// The open connection's protection marks, from its saved profile (Connections): production (a
// coloured band in the header, the database's name typed in every Confirm) and read-only (which
// the backend enforces; the grants it sends already refuse every write with that reason, so
// usePermission's tooltips say it). Null when the window was opened on a database directly
// (--database) or the profiles are still loading: nothing is marked then.
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";

import { api } from "../api";

export interface Protection {
  /** The profile's name. */
  name: string;
  production: boolean;
  /** `#rrggbb` (checked by the backend), the band's colour. */
  colour: string;
  readOnly: boolean;
  /** What a destructive action asks to be typed. */
  databaseName: string;
}

export const PRODUCTION_RED = "#c62828";

type Entries = Awaited<ReturnType<typeof api.listConnections>>;

/** The marks of the active entry, if one is active. */
export function protectionOf(entries: Entries | undefined): Protection | null {
  const active = entries?.find((e) => e.active);
  if (!active) return null;
  const { profile } = active;
  return {
    name: profile.name,
    production: profile.production,
    colour: profile.colour ?? PRODUCTION_RED,
    readOnly: profile.read_only,
    databaseName: active.database_name || profile.name,
  };
}

/** Black or white, whichever reads better on `colour` (#rrggbb). */
export function textOn(colour: string): "#000" | "#fff" {
  const channel = (i: number) => parseInt(colour.slice(i, i + 2), 16) / 255;
  const [r, g, b] = [channel(1), channel(3), channel(5)];
  if ([r, g, b].some(Number.isNaN)) return "#fff";
  // relative luminance (sRGB, approximated): light backgrounds get black text
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 ? "#000" : "#fff";
}

const ProtectionContext = createContext<Protection | null>(null);

export function ProtectionProvider({ children }: { children: ReactNode }) {
  const { data } = useQuery({ queryKey: ["connections"], queryFn: api.listConnections });
  return <ProtectionContext.Provider value={protectionOf(data)}>{children}</ProtectionContext.Provider>;
}

export function useProtection(): Protection | null {
  return useContext(ProtectionContext);
}

/** The name a destructive action must have typed on this connection, or null (not production). */
export function useTypedConfirmation(): string | null {
  const p = useProtection();
  return p?.production ? p.databaseName : null;
}
