// Which database is open and who is operating it; a banner when the connection is read-only,
// and above everything a band in the profile's colour while a production connection is open.
import { useZone, zoneName, type Zone } from "../lib/timeZone";
import { textOn, useProtection } from "./protection";
import { useSession } from "./session";

interface Props {
  onPalette: () => void;
  onAbout: () => void;
  onRefresh: () => void;
  onZone: (zone: Zone) => void;
}

export function Header({ onPalette, onAbout, onRefresh, onZone }: Props) {
  const session = useSession();
  const zone = useZone();
  const protection = useProtection();
  return (
    <>
      {protection?.production && (
        <div
          className="production-band"
          role="status"
          style={{ background: protection.colour, color: textOn(protection.colour) }}
          data-testid="production-band"
        >
          PRODUCTION — {protection.name}
          {protection.readOnly && " · read-only"}
        </div>
      )}
      <header className="app-header">
        <strong>WhoDis Admin</strong>
        <span className="database" title={session?.database}>
          {session ? `${session.backend} · ${session.database}` : "…"}
        </span>
        <button className="palette-button" onClick={onPalette} title="Go to screen (Ctrl+K)">
          Go to… <kbd>Ctrl K</kbd>
        </button>
        <span className="operator">
          <span data-testid="operator-email">{session?.operator.email ?? ""}</span>
          {session?.whodis === false ? (
            // no WhoDis roles here: the database login decides what may be done
            <span className="role role-login" data-testid="operator-role" title="Not a WhoDis database: no roles; the database login decides">
              login
            </span>
          ) : (
            <span className={`role role-${session?.operator.role ?? "unknown"}`} data-testid="operator-role">
              {session ? (session.operator.role ?? "unknown") : ""}
            </span>
          )}
        </span>
        <button
          onClick={() => onZone(zone === "local" ? "utc" : "local")}
          title="Times show, and days in filters are read, in this zone: click to switch"
          data-testid="time-zone"
        >
          Times: {zoneName(zone)}
        </button>
        <button onClick={onRefresh} title="Fetch what this screen shows again (F5)" data-testid="refresh">
          Refresh
        </button>
        <button className="about-button" onClick={onAbout} title="About WhoDis Admin (F1)" data-testid="about-open">
          About
        </button>
      </header>
      {session?.read_only_reason && (
        <div className="banner banner-warning" role="alert" data-testid="read-only-banner">
          Read-only: {session.read_only_reason}
        </div>
      )}
      {session?.whodis === false && (
        <div className="banner banner-info" data-testid="explorer-banner">
          Not a WhoDis database: its tables are browsed under <a href="#/tables">Tables</a>, read through the
          explorer; whodis-admin never migrates it.
        </div>
      )}
      {session?.whodis !== false && session?.origin.kind === "foreign" && (
        <div className="banner banner-info" data-testid="foreign-banner">
          This database was made by another program (the WhoDis server?): whodis-admin reads and writes its rows and
          never migrates it. <a href="#/schema">Schema…</a>
        </div>
      )}
      {session?.keyring_problem && (
        <div className="banner banner-info" data-testid="keyring-banner">
          Encrypted values are unavailable: {session.keyring_problem}
        </div>
      )}
    </>
  );
}
