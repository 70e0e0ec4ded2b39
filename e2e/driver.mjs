// tauri-driver (over WebKitWebDriver) for the e2e run and the benchmarks: on free ports, in its
// own process group so stopping it also ends any app window it started, with its output (and
// the app's) kept for inspection.

import { spawn } from "node:child_process";
import { createServer } from "node:net";

import { waitForDriver } from "./webdriver.mjs";

/** A port nothing listens on now (a driver of an earlier run may still hold the usual ones). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(String(port)));
    });
  });
}

/** Starts tauri-driver and waits until it answers; `env` is added to the app's environment. */
export async function startDriver(env = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const driver = spawn(
    "tauri-driver",
    ["--port", port, "--native-port", nativePort, "--native-driver", "/usr/bin/WebKitWebDriver"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env }, detached: true },
  );
  let output = "";
  const keep = (d) => {
    output += d;
  };
  driver.stdout.on("data", keep);
  driver.stderr.on("data", keep);
  const handle = {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    /** An app whose session did not close would otherwise keep the output pipe (and the run) open. */
    stop() {
      try {
        process.kill(-driver.pid, "SIGTERM");
      } catch {
        driver.kill();
      }
    },
  };
  try {
    await waitForDriver(handle.base);
  } catch (e) {
    handle.stop();
    throw new Error(`${e.message}\n${output.slice(-2000)}`);
  }
  return handle;
}
