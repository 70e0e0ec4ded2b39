// About: the version and build, the open database, the keyring in use and where the log is.
import { useQuery } from "@tanstack/react-query";

import { api } from "../api";
import { Dialog } from "../components/Dialog";
import { errorText } from "./toasts";

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const about = useQuery({ queryKey: ["about"], queryFn: api.about });
  const rows: [string, string | null | undefined][] = about.data
    ? [
        ["Version", `${about.data.version} (${about.data.build} build, ${about.data.platform})`],
        ["Database", about.data.database],
        ["Keyring", about.data.keyring],
        ["Log folder", about.data.log_folder ?? "none (no per-user folder on this system)"],
      ]
    : [];
  return (
    <Dialog title="About WhoDis Admin" onClose={onClose}>
      {about.error && <p className="state state-error">{errorText(about.error)}</p>}
      <dl className="about" data-testid="about">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-testid={`about-${label.toLowerCase().replace(/\s+/g, "-")}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="button-row">
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
