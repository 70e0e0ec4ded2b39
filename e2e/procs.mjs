// The app's processes and their resident memory, read from /proc (Linux).
import { readFileSync, readdirSync } from "node:fs";

/** Resident memory of a process in MiB (0 once it is gone). */
export function rssMiB(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function parentOf(pid) {
  try {
    // the command name is in parentheses and may hold spaces: the fields after it are fixed
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** The app process the driver started (its executable is `app`) and every process under it. */
export function appProcesses(app) {
  const pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number);
  const exe = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    } catch {
      return "";
    }
  };
  const main = pids.find((pid) => exe(pid) === app);
  if (!main) return null;
  const below = (pid) => {
    for (let p = parentOf(pid); p > 1; p = parentOf(p)) if (p === main) return true;
    return false;
  };
  return { main, children: pids.filter(below) };
}

/** Resident memory of the app process and of it with everything under it (WebKit's), in MiB. */
export function appMemory(app) {
  const procs = appProcesses(app);
  if (!procs) return null;
  const appMiB = rssMiB(procs.main);
  return { appMiB, allMiB: appMiB + procs.children.reduce((sum, pid) => sum + rssMiB(pid), 0) };
}
