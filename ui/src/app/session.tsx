// The open connection: database, operator, role and grants, loaded once and shared.
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";

import { api, type Permission, type SessionInfo } from "../api";
import { allowance, type Allowance } from "../lib/permissions";

const SessionContext = createContext<SessionInfo | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { data } = useQuery({ queryKey: ["session"], queryFn: api.sessionInfo });
  return <SessionContext.Provider value={data}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionInfo | undefined {
  return useContext(SessionContext);
}

export function usePermission(permission: Permission): Allowance {
  return allowance(useSession()?.grants, permission);
}
