// About: the version and build, the open database, the keyring in use and where the log is.
import { useMutation, useQuery } from "@tanstack/react-query";

import { api } from "../api";
import { Dialog } from "../components/Dialog";
import { errorText } from "./toasts";

/** Whether this build updates itself; "Check for updates" asks the release endpoint. */
function Updates() {
  const check = useMutation({ mutationFn: api.updateCheck });
  const install = useMutation({ mutationFn: api.updateInstall });
  const status = check.data;
  let text = "not checked";
  if (check.isPending) text = "checking…";
  else if (check.error) text = errorText(check.error);
  else if (status && !status.enabled) text = status.note ?? "off";
  else if (status?.available) text = `version ${status.available} is available`;
  else if (status) text = status.note ?? "this is the newest version";
  return (
    <div>
      <dt>Updates</dt>
      <dd data-testid="about-updates">
        {text}{" "}
        {!status && (
          <button onClick={() => check.mutate()} disabled={check.isPending} data-testid="update-check">
            Check for updates
          </button>
        )}
        {status?.available && (
          <button onClick={() => install.mutate()} disabled={install.isPending}>
            {install.isPending ? "Installing…" : "Install and restart"}
          </button>
        )}
        {install.error && <span className="state-error"> {errorText(install.error)}</span>}
      </dd>
    </div>
  );
}

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
        {about.data && <Updates />}
      </dl>
      <div className="button-row">
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
