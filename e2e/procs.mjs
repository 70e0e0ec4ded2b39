// The app's processes and their memory (resident and proportional), read from /proc (Linux).
import { readFileSync, readdirSync } from "node:fs";

/** A `Name:  N kB` line of a /proc file of a process, in MiB (0 once the process is gone). */
function procMiB(pid, file, name) {
  try {
    const line = readFileSync(`/proc/${pid}/${file}`, "utf8").match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MiB. */
export const rssMiB = (pid) => procMiB(pid, "status", "VmRSS");

/**
 * Proportional memory of a process in MiB: its own pages plus its share of pages it shares.
 * Resident sizes do not add up across processes: the app and WebKit's web process each count
 * the same mapped libraries (libLLVM, libwebkit2gtk) in full; these do.
 */
export const pssMiB = (pid) => procMiB(pid, "smaps_rollup", "Pss");

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

/**
 * Memory of the app process and of it with everything under it (WebKit's), in MiB: resident
 * (`appMiB`, `allMiB`; the sum counts shared libraries once per process) and proportional
 * (`appPssMiB`, `allPssMiB`; the sum counts each page once).
 */
export function appMemory(app) {
  const procs = appProcesses(app);
  if (!procs) return null;
  const sum = (measure) => procs.children.reduce((total, pid) => total + measure(pid), measure(procs.main));
  return {
    appMiB: rssMiB(procs.main),
    allMiB: sum(rssMiB),
    appPssMiB: pssMiB(procs.main),
    allPssMiB: sum(pssMiB),
  };
}
