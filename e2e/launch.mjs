// Launches the app with no arguments (the embedded demo database under this HOME) several times,
// as a user starting it from the menu, and measures each launch: from starting the process to
// the dashboard's counts on screen, and the resident memory of the app process and of WebKit's
// processes once the dashboard shows. The first launch on a fresh HOME also creates and fills
// the demo database and is reported apart. Checks along the way that the dashboard shows the
// demo data and that the same binary's `stats` reads the database the window made.
//
// `--photos` also times 100 employee thumbnails through the `photo:` scheme in the last launch:
// made cold (decoded and scaled from the database bytes), then served warm from the cache.
//
//   node e2e/launch.mjs --app PATH [--runs 5] [--photos] [--out DIR]     (under xvfb-run, with a keyring)

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { startDriver } from "./driver.mjs";
import { appMemory } from "./procs.mjs";
import { Session, waitFor } from "./webdriver.mjs";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string" },
    runs: { type: "string", default: "5" },
    photos: { type: "boolean", default: false },
    out: { type: "string", default: "tests/artifacts/launch" },
  },
});
if (!opts.app) throw new Error("--app PATH (the whodis-admin binary to launch) is required");
const runs = Number(opts.runs);
const out = resolve(opts.out);
mkdirSync(out, { recursive: true });

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Milliseconds for each thumbnail to load in the page, one after another. */
async function thumbnailTimes(session, ids, pass) {
  return session.executeAsync(
    `const [ids, pass, done] = arguments;
     const times = [];
     const next = (i) => {
       if (i === ids.length) return done(times);
       const img = new Image();
       const started = performance.now();
       img.onload = () => { times.push(performance.now() - started); next(i + 1); };
       img.onerror = () => done({ error: "thumbnail " + ids[i] + " did not load" });
       // the query only defeats the page's own image cache; the app caches by path
       img.src = "photo://localhost/" + ids[i] + "/thumb?pass=" + pass;
     };
     next(0);`,
    ids,
    pass,
  );
}

async function photos(session) {
  const page = await session.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("list_rows", { table: "employee_profiles", query: { limit: 200 } })
       .then(done, (e) => done({ error: e }));`,
  );
  // (some demo profiles have no photo)
  const ids = (page.rows ?? []).filter((r) => r.photo_content_type).slice(0, 100).map((r) => Number(r.id));
  assert.equal(ids.length, 100, `100 profiles with photos: ${JSON.stringify(page).slice(0, 200)}`);
  const cold = await thumbnailTimes(session, ids, "cold");
  const warm = await thumbnailTimes(session, ids, "warm");
  for (const t of [cold, warm]) assert.ok(Array.isArray(t), JSON.stringify(t));
  const stats = (t) => ({ median: percentile(t, 50), p95: percentile(t, 95), total: t.reduce((a, b) => a + b, 0) });
  return { count: ids.length, cold_ms: stats(cold), warm_ms: stats(warm) };
}

/** When (ms since the epoch) the dashboard's counts reached the screen, seen from inside the
 *  page: an observer catches them as they render, and two animation frames later they are
 *  painted. Polling from outside instead (two WebDriver round trips every 150 ms) added half a
 *  poll and the round trips to every launch. Counts already there when the script first runs
 *  give its own moment, a bound from above like the polling's. */
const COUNTS_PAINTED = `
  const done = arguments[arguments.length - 1];
  const counted = () => /Employee profiles\\s*[\\d,]+/.test(
    document.querySelector('[data-testid="dashboard"]')?.textContent ?? "");
  const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => done(Date.now())));
  if (counted()) return painted();
  const seen = new MutationObserver(() => {
    if (counted()) { seen.disconnect(); painted(); }
  });
  seen.observe(document, { subtree: true, childList: true, characterData: true });`;

async function launch(base, n) {
  const started = Date.now();
  const session = await Session.start(base, opts.app, []);
  try {
    // a page that navigates while the script waits ends it: the polled moment then stands
    const painted = await session.executeAsync(COUNTS_PAINTED).catch(() => null);
    const text = await waitFor("the dashboard's counts", async () => {
      const found = await session.all('[data-testid="dashboard"]');
      const shown = found.length ? await found[0].text() : "";
      return /Employee profiles\s*[\d,]+/.test(shown) ? shown : null;
    }, 120000);
    const ms = (typeof painted === "number" ? painted : Date.now()) - started;
    assert.match(text, /Employee profiles\s*1,000/, "the dashboard counts the demo data (by the sidebar's names)");
    const info = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke("session_info", {}).then(done, (e) => done({ error: e }));`,
    );
    assert.match(info.database ?? "", /^sqlite:\/\/.*com\.whodis\.admin\/whodis\.db$/, JSON.stringify(info));
    // settle, then read memory as the dashboard sits idle
    await new Promise((r) => setTimeout(r, 1500));
    const memory = appMemory(opts.app);
    assert.ok(memory, `the app process (${opts.app}) is running`);
    if (n === 0) writeFileSync(join(out, "dashboard.png"), await session.screenshot());
    const thumbnails = opts.photos && n === runs - 1 ? await photos(session) : null;
    return { ms, inPage: typeof painted === "number", ...memory, thumbnails };
  } finally {
    await session.end();
  }
}

const driver = await startDriver();
const measured = [];
try {
  for (let n = 0; n < runs; n++) {
    const m = await launch(driver.base, n);
    measured.push(m);
    console.log(
      `launch ${n + 1}${n === 0 ? " (creates the demo database)" : ""}: dashboard in ${m.ms.toFixed(0)} ms ` +
        `(${m.inPage ? "seen from the page" : "polled"}); ` +
        `app ${m.appMiB.toFixed(0)} MiB, with WebKit ${m.allMiB.toFixed(0)} MiB resident; ` +
        `proportional (shared pages counted once) ${m.appPssMiB.toFixed(0)} / ${m.allPssMiB.toFixed(0)} MiB`,
    );
    await new Promise((r) => setTimeout(r, 500));
  }
} finally {
  driver.stop();
}

// the same binary's CLI reads the database the window made
const stats = JSON.parse(execFileSync(opts.app, ["stats"], { encoding: "utf8" }));
const profiles = stats.tables?.EmployeeProfile?.total;
assert.equal(profiles, 1000, `stats reads the demo database the window made: ${JSON.stringify(stats.tables)}`);
const version = execFileSync(opts.app, ["--version"], { encoding: "utf8" }).trim();
assert.match(version, /^whodis-admin \d+\.\d+\.\d+$/);

const warm = measured.slice(1);
const summary = {
  app: opts.app,
  version,
  cores: cpus().length,
  first_launch_ms: measured[0].ms,
  launches: warm.length,
  dashboard_seen_from_page: measured.filter((m) => m.inPage).length,
  dashboard_ms: warm.length ? { median: percentile(warm.map((m) => m.ms), 50), p95: percentile(warm.map((m) => m.ms), 95) } : null,
  app_rss_mib: warm.length ? { median: percentile(warm.map((m) => m.appMiB), 50), p95: percentile(warm.map((m) => m.appMiB), 95) } : null,
  all_rss_mib: warm.length ? { median: percentile(warm.map((m) => m.allMiB), 50), p95: percentile(warm.map((m) => m.allMiB), 95) } : null,
  app_pss_mib: warm.length ? { median: percentile(warm.map((m) => m.appPssMiB), 50), p95: percentile(warm.map((m) => m.appPssMiB), 95) } : null,
  all_pss_mib: warm.length ? { median: percentile(warm.map((m) => m.allPssMiB), 50), p95: percentile(warm.map((m) => m.allPssMiB), 95) } : null,
  employee_profiles: profiles ?? null,
  thumbnails: measured[measured.length - 1].thumbnails,
};
if (summary.thumbnails) {
  const { cold_ms: c, warm_ms: w } = summary.thumbnails;
  // the page's clock ticks in whole milliseconds: the totals say more than the medians
  console.log(
    `thumbnails (100 through the photo: scheme, one after another): cold ${c.total.toFixed(0)} ms in all ` +
      `(median ${c.median.toFixed(1)} ms, p95 ${c.p95.toFixed(1)} ms each), warm ${w.total.toFixed(0)} ms (median ${w.median.toFixed(1)} ms, p95 ${w.p95.toFixed(1)} ms)`,
  );
}
writeFileSync(join(out, "launch.json"), JSON.stringify(summary, null, 2) + "\n");
console.log(`launch: ${JSON.stringify(summary)}`);
process.exit(0);
