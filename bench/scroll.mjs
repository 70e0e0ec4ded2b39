// Scrolling the audit log in the real window: frame times while the table scrolls continuously
// and keyset pages load behind it. Prints numbers; asserts nothing.
//
//   bash bench/scroll.sh            (builds, makes a 100k-row demo database, runs under Xvfb)
//
// `--database URL` scrolls an existing database instead (bench/run.sh passes its tier's);
// `--rows N` then also scrolls on as fast as pages arrive until N rows have gone by, and
// reports the time it took and the resident memory afterwards (rows far behind the viewport
// are let go, so it stays flat however far one scrolls); `--json FILE` writes the figures.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { startDriver } from "../e2e/driver.mjs";
import { appMemory } from "../e2e/procs.mjs";
import { Session } from "../e2e/webdriver.mjs";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string" },
    scale: { type: "string", default: "5" },
    seconds: { type: "string", default: "10" },
    // pixels per frame; 0 measures the window's own frame rate, the ceiling for the rest
    step: { type: "string", default: "120" },
    database: { type: "string" },
    rows: { type: "string", default: "0" },
    json: { type: "string" },
  },
});
let url = opts.database;
if (!url) {
  const dir = mkdtempSync(join(tmpdir(), "whodis-bench-"));
  url = `sqlite://${join(dir, "bench.db")}`;
  const t0 = Date.now();
  execFileSync(opts.app, ["--database", url, "demo", "--scale", opts.scale], { stdio: "ignore" });
  console.log(`demo data (scale ${opts.scale}, ${20000 * Number(opts.scale)} log rows): ${Date.now() - t0} ms`);
}
const report = { database: url.replace(/\/\/[^@/]*@/, "//"), cores: cpus().length };

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
       // The app's own work per scroll: the table renders synchronously in its scroll
       // listener, so from a capturing listener (first) to one added after the table's
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
                     loaded: Number(grid.dataset.rows), top: grid.scrollTop });
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
    Object.assign(report, {
      step_px: Number(opts.step),
      seconds: Number(opts.seconds),
      fps: Number(fps),
      frame_ms: { median: Number(pct(50)), p95: Number(pct(95)), p99: Number(pct(99)) },
      rows_loaded: result.loaded,
    });
    report.memory_after_scroll = appMemory(opts.app);
    if (Number(opts.rows) > 0) report.through = await scrollThrough(session, Number(opts.rows));
  } finally {
    await session.end();
  }
} finally {
  driver.stop();
}
if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 2));
process.exit(0);

/** Scrolls to the end of what is loaded every frame until `rows` rows have gone by. */
async function scrollThrough(session, rows) {
  const before = appMemory(opts.app);
  // the loop runs in the page and is polled, so no single WebDriver call lasts minutes
  await session.execute(
    `const want = arguments[0];
     const grid = document.querySelector('[data-testid=table-audit_log] [role=grid]');
     const start = performance.now();
     const state = (window.__through = { loaded: 0, ms: 0, done: false });
     let stalled = 0;
     function frame() {
       // the rows known so far (the scroll height is capped, so it no longer counts them)
       const loaded = Number(grid.dataset.rows);
       grid.scrollTop = grid.scrollHeight;
       stalled = loaded === state.loaded ? stalled + 1 : 0;
       Object.assign(state, { loaded, ms: performance.now() - start });
       // the end of the table, or nothing new for about ten seconds
       if (loaded >= want || stalled > 600) state.done = true;
       else requestAnimationFrame(frame);
     }
     requestAnimationFrame(frame);`,
    rows,
  );
  let result;
  for (let shown = 0; ; ) {
    await new Promise((r) => setTimeout(r, 1000));
    result = await session.execute("return window.__through;");
    if (result.done) break;
    if (result.loaded >= shown + 100000) {
      shown = result.loaded;
      console.log(`  ${shown} rows, ${(result.ms / 1000).toFixed(0)} s, ${appMemory(opts.app)?.allMiB.toFixed(0)} MiB`);
    }
  }
  // let pages that left the window be released
  await new Promise((r) => setTimeout(r, 7000));
  const after = appMemory(opts.app);
  const rate = result.loaded / (result.ms / 1000);
  console.log(
    `scrolled through ${result.loaded} rows in ${(result.ms / 1000).toFixed(1)} s (${rate.toFixed(0)} rows/s); ` +
      `resident memory before ${before?.appMiB.toFixed(0)} MiB app / ${before?.allMiB.toFixed(0)} MiB all, ` +
      `after ${after?.appMiB.toFixed(0)} / ${after?.allMiB.toFixed(0)} MiB; proportional (shared pages once) ` +
      `${before?.allPssMiB.toFixed(0)} → ${after?.allPssMiB.toFixed(0)} MiB all`,
  );
  return { rows: result.loaded, seconds: result.ms / 1000, rows_per_s: rate, memory_before: before, memory_after: after };
}
