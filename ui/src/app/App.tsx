// The shell: header, sidebar, the current screen from the hash route, Ctrl/Cmd+K palette, F5 or
// Ctrl/Cmd+R to fetch what the screen shows again.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { onSecondLaunch } from "../api";

import { AccessScreen } from "../features/access/AccessScreen";
import { AuditScreen } from "../features/audit/AuditScreen";
import { ComplianceScreen } from "../features/compliance/ComplianceScreen";
import { ConfigScreen } from "../features/configuration/ConfigScreen";
import { ConnectionsScreen } from "../features/connections/ConnectionsScreen";
import { Dashboard } from "../features/dashboard/Dashboard";
import { SchemaScreen } from "../features/schema/SchemaScreen";
import { ErrorsScreen } from "../features/errors/ErrorsScreen";
import { ExpiringScreen } from "../features/expiring/ExpiringScreen";
import { GenesysScreen } from "../features/genesys/GenesysScreen";
import { HealthScreen } from "../features/health/HealthScreen";
import { ExploredTable } from "../features/explorer/ExploredTable";
import { exploredTable } from "../features/explorer/explorer";
import { TablesScreen } from "../features/explorer/TablesScreen";
import { ProfilesScreen } from "../features/profiles/ProfilesScreen";
import { TableScreen } from "../features/tables/TableScreen";
import { UsersScreen } from "../features/users/UsersScreen";
import type { Chip, SortState } from "../lib/query";
import { setZone } from "../lib/timeZone";
import { AboutDialog } from "./AboutDialog";
import { BackButton } from "./BackButton";
import { CommandPalette } from "./CommandPalette";
import { Header } from "./Header";
import type { Route } from "./route";
import { screenById } from "./screens";
import { useSession } from "./session";
import { Sidebar } from "./Sidebar";
import { useToast } from "./toasts";
import { useRoute } from "./useRoute";

/** A second launch with `--database` switches this window to that database. */
function useSecondLaunch(onOpened: () => void) {
  const client = useQueryClient();
  const toast = useToast();
  // the latest callback, without re-subscribing on every render
  const opened = useRef(onOpened);
  useEffect(() => {
    opened.current = onOpened;
  });
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    void onSecondLaunch(
      (info) => {
        toast.ok(`Opened ${info.database} as ${info.operator.email} (from another launch)`);
        // everything cached belongs to the previous database
        void client.resetQueries();
        opened.current();
      },
      toast.error,
    ).then((unlisten) => (gone ? unlisten() : (stop = unlisten)));
    return () => {
      gone = true;
      stop?.();
    };
  }, [client, toast]);
}

export function App() {
  const client = useQueryClient();
  const [route, go] = useRoute();
  const [palette, setPalette] = useState(false);
  const [about, setAbout] = useState(false);
  const session = useSession();
  const asked = screenById(route.screen);
  // on any other database than WhoDis's, a WhoDis screen (the dashboard first) gives way to Tables
  const screen = session?.whodis === false && !asked.anyDatabase ? screenById("tables") : asked;
  useSecondLaunch(() => go({ screen: "dashboard", chips: [], sort: null }));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setPalette((open) => !open);
      } else if (e.key === "F5" || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "r")) {
        // the webview would reload the whole page (and lose the screen's state): fetch again instead
        e.preventDefault();
        void client.invalidateQueries();
      } else if (e.key === "F1") {
        e.preventDefault();
        setAbout(true);
      } else if (e.altKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
        // webviews have no browser chrome: give back/forward their usual keys
        e.preventDefault();
        if (e.key === "ArrowLeft") window.history.back();
        else window.history.forward();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [client]);

  const open = (route: Route) => {
    setPalette(false);
    go(route);
  };
  const onQueryChange = (chips: Chip[], sort: SortState | null) => go({ screen: screen.id, chips, sort });
  const query = { chips: route.chips, sort: route.sort, onQueryChange };

  let body;
  if (screen.id === "connections")
    body = <ConnectionsScreen onOpened={() => go({ screen: "dashboard", chips: [], sort: null })} />;
  else if (screen.id === "schema") body = <SchemaScreen />;
  else if (screen.id === "health") body = <HealthScreen />;
  else if (screen.id === "tables") body = <TablesScreen />;
  else if (exploredTable(screen.id)) body = <ExploredTable key={screen.id} table={screen.label} {...query} />;
  else if (screen.id === "users") body = <UsersScreen {...query} />;
  else if (screen.id === "configuration") body = <ConfigScreen {...query} />;
  else if (screen.id === "compliance") body = <ComplianceScreen {...query} />;
  else if (screen.id === "employee_profiles") body = <ProfilesScreen {...query} />;
  else if (screen.table === "genesys_groups" || screen.table === "genesys_skills" || screen.table === "genesys_locations")
    body = <GenesysScreen key={screen.table} table={screen.table} {...query} />;
  else if (screen.table === "sessions" || screen.table === "search_cache" || screen.table === "api_tokens")
    body = <ExpiringScreen key={screen.table} table={screen.table} {...query} />;
  else if (screen.table === "audit_log") body = <AuditScreen {...query} />;
  else if (screen.table === "access_attempts") body = <AccessScreen {...query} />;
  else if (screen.table === "error_log") body = <ErrorsScreen {...query} />;
  else if (screen.table) body = <TableScreen key={screen.table} table={screen.table} {...query} />;
  else body = <Dashboard />;

  return (
    <div className="app">
      <Header
        onPalette={() => setPalette(true)}
        onAbout={() => setAbout(true)}
        onRefresh={() => void client.invalidateQueries()}
        onZone={(zone) => {
          setZone(zone);
          // days in filters mean other instants now
          void client.invalidateQueries();
        }}
      />
      <div className="main">
        <Sidebar current={screen.id} />
        <main className="content">
          <BackButton />
          <h1>{screen.label}</h1>
          {body}
        </main>
      </div>
      {palette && <CommandPalette onGo={open} onClose={() => setPalette(false)} />}
      {about && <AboutDialog onClose={() => setAbout(false)} />}
    </div>
  );
}
