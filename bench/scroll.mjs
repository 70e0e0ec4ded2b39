// Scrolling the audit log in the real window: frame times while the table scrolls continuously
// and keyset pages load behind it. Prints numbers; asserts nothing.
//
//   bash bench/scroll.sh            (builds, makes a 100k-row demo database, runs under Xvfb)

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { startDriver } from "../e2e/driver.mjs";
import { Session } from "../e2e/webdriver.mjs";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string" },
    scale: { type: "string", default: "5" },
    seconds: { type: "string", default: "10" },
    // pixels per frame; 0 measures the window's own frame rate, the ceiling for the rest
    step: { type: "string", default: "120" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "whodis-bench-"));
const url = `sqlite://${join(dir, "bench.db")}`;
let t0 = Date.now();
execFileSync(opts.app, ["--database", url, "demo", "--scale", opts.scale], { stdio: "ignore" });
console.log(`demo data (scale ${opts.scale}, ${20000 * Number(opts.scale)} log rows): ${Date.now() - t0} ms`);

const driver = await startDriver();
try {
  const session = await Session.start(driver.base, opts.app, [
    "--database", url, "--operator", "demo.viewer@whodis.example",
  ]);
  try {
    await session.navigate("#/audit");
    await session.find('[data-testid="table-audit_log"] [data-testid="row"]');
    const result = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       const seconds = arguments[0];
       const step = arguments[1];
       const grid = document.querySelector('[data-testid=table-audit_log] [role=grid]');
       const frames = [];
       // The app's own work per scroll: the virtualizer renders synchronously in its scroll
       // listener, so from a capturing listener (first) to one added after the virtualizer's
       // (last), plus the style and layout forced there, is what the app costs per frame;
       // painting is the renderer's (software under Xvfb, the GPU on a desktop).
       const work = [];
       let scrolled = 0;
       document.addEventListener("scroll", () => { scrolled = performance.now(); }, { capture: true });
       grid.addEventListener("scroll", () => {
         grid.lastElementChild.lastElementChild?.getBoundingClientRect();
         work.push(performance.now() - scrolled);
       });
       let last = performance.now();
       const start = last;
       function frame(now) {
         frames.push(now - last);
         last = now;
         grid.scrollTop += step;
         if (now - start < seconds * 1000) requestAnimationFrame(frame);
         else done({ frames, work, rows: document.querySelectorAll('[data-testid=table-audit_log] [data-testid=row]').length,
                     loaded: Math.round(grid.scrollHeight / 34), top: grid.scrollTop });
       }
       requestAnimationFrame(frame);`,
      Number(opts.seconds),
      Number(opts.step),
    );
    const f = result.frames.slice(1).sort((a, b) => a - b);
    const pct = (p) => f[Math.min(f.length - 1, Math.floor((p / 100) * f.length))].toFixed(1);
    const fps = (1000 / (f.reduce((s, x) => s + x, 0) / f.length)).toFixed(1);
    console.log(`scrolling ${opts.step} px per frame for ${opts.seconds} s: ${f.length} frames, ${fps} fps average`);
    console.log(`frame time: median ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, worst ${f[f.length - 1].toFixed(1)} ms`);
    console.log(`frames over 16.7 ms: ${f.filter((x) => x > 16.7).length}; over 50 ms: ${f.filter((x) => x > 50).length}`);
    const w = result.work.sort((a, b) => a - b);
    const wp = (p) => w[Math.min(w.length - 1, Math.floor((p / 100) * w.length))].toFixed(1);
    if (w.length) {
      console.log(`app work per scroll (render, commit, style, layout): median ${wp(50)} ms, p95 ${wp(95)} ms, p99 ${wp(99)} ms over ${w.length} scrolls`);
    }
    console.log(`rows loaded by scrolling: ${result.loaded}; rows in the DOM at the end: ${result.rows}`);
  } finally {
    await session.end();
  }
} finally {
  driver.stop();
}
process.exit(0);
