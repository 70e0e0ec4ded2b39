// What an admin (and a viewer) does in the real window. Each scenario opens its own app session
// as `operator` on the same fresh demo database; scenarios run in order.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import { answerOpen, answerSave, browseTo, cancelDialog, visible } from "./dialogs.mjs";

const ADMIN = "demo.admin@whodis.example";
const EDITOR = "demo.editor@whodis.example";
const VIEWER = "demo.viewer@whodis.example";
/** The title of the backend's photo dialog. */
const PHOTO_DIALOG = "Choose a photo (PNG, JPEG, GIF or WebP, at most 5 MiB)";

/** Calls a command directly through Tauri's IPC, as a script in the page could. */
async function invoke(session, command, args) {
  return session.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
       .then((data) => done({ data }), (error) => done({ error }));`,
    command,
    args,
  );
}

async function userRow(t, email) {
  const page = t.cli(["list", "users", "--filter", `email=eq:${email}`]);
  assert.equal(page.rows.length, 1, `${email} is in the demo data`);
  return page.rows[0];
}

/** The texts of the toasts shown now (without their buttons). */
async function toastTexts(t) {
  return t.session.execute("return [...document.querySelectorAll('[data-testid=toast] > span')].map((s) => s.textContent);");
}

/** Whether the compliance matrix holds the mapping of job code `job` to role `role` (by ids). */
function mapped(t, job, role) {
  const page = t.cli(["list", "job_role_mappings", "--filter", `job_code_id=eq:${job}`, "--filter", `system_role_id=eq:${role}`]);
  return page.rows.length === 1;
}

/** The operator shown in the header, once the session has loaded. */
async function header(t) {
  return t.waitFor("the operator in the header", async () => {
    const email = await (await t.session.find('[data-testid="operator-email"]')).text();
    const role = await (await t.session.find('[data-testid="operator-role"]')).text();
    return email && role ? { email, role: role.trim().toLowerCase() } : null;
  });
}

export const scenarios = [
  {
    name: "viewer sees disabled edits and a direct command call is refused",
    operator: VIEWER,
    async run(t) {
      assert.deepEqual(await header(t), { email: VIEWER, role: "viewer" });
      await t.session.navigate("#/users");
      await t.session.find('[data-testid="table-users"] [data-testid="row"]');
      const create = await t.session.find('[data-testid="user-create"]');
      assert.equal(await create.enabled(), false, "a viewer cannot add users");
      // (the window's tooltip layer holds a title in data-tip while the pointer rests on it)
      assert.match((await create.attribute("title")) ?? (await create.attribute("data-tip")), /admin/i, "the tooltip says who may");
      await t.screenshot("users-as-viewer");

      // filter by role: only the demo's five admins remain
      await (await t.session.find('[data-testid="role-filter-admin"]')).click();
      await t.waitFor("the admins only", async () =>
        /^5 rows/.test(await (await t.session.find('[data-testid="total"]')).text()));
      const roles = await t.session.execute(
        "return [...document.querySelectorAll('[data-testid=table-users] [data-testid=row] select')].map((s) => s.value);",
      );
      assert.deepEqual(roles, ["admin", "admin", "admin", "admin", "admin"]);

      // the UI is not the guard: the backend refuses the same call made directly
      const me = await userRow(t, VIEWER);
      const denialsBefore = t.cli(["list", "access_attempts", "--filter", `user_email=eq:${VIEWER}`]);
      const reply = await invoke(t.session, "update_user", {
        req: { id: me.id, expected_updated_at: me.updated_at, role: "admin" },
      });
      assert.equal(reply.error?.kind, "forbidden", JSON.stringify(reply));
      assert.equal((await userRow(t, VIEWER)).role, "viewer", "nothing changed");
      const denials = t.cli(["list", "access_attempts", "--filter", `user_email=eq:${VIEWER}`]);
      assert.equal(denials.total.value, denialsBefore.total.value + 1, "the refusal is recorded");
      const denial = denials.rows[0];
      assert.equal(denial.resource, "users.update");
      assert.equal(denial.required_role, "admin");
      assert.equal(denial.user_role, "viewer");
      assert.equal(denial.success, false);
    },
  },
  {
    name: "an unknown operator is read-only with a banner",
    operator: "nobody@elsewhere.example",
    async run(t) {
      const banner = await t.session.find('[data-testid="read-only-banner"]');
      assert.match(await banner.text(), /nobody@elsewhere\.example/);
      assert.equal((await header(t)).role, "unknown");
      await t.screenshot("read-only-banner");
    },
  },
  {
    name: "admin changes a role, it persists after a reload and is in the audit log with its diff",
    operator: ADMIN,
    async run(t) {
      assert.deepEqual(await header(t), { email: ADMIN, role: "admin" });
      const editor = await userRow(t, EDITOR);
      // filters live in the URL, so a reload keeps them
      await t.session.navigate(`#/users?f=${encodeURIComponent(`email~eq~${EDITOR}`)}`);
      const select = await t.session.find(`[data-testid="user-role-${editor.id}"]`);
      assert.equal(await select.property("value"), "editor");
      await t.session.find(`[data-testid="user-role-${editor.id}"] option[value="viewer"]`)
        .then((o) => o.click());
      // someone else's role changes at once (no question) and the toast offers Undo
      await t.waitFor("the role change to be saved", async () =>
        (await userRow(t, EDITOR)).role === "viewer");
      assert.equal((await t.session.all('[role="dialog"]')).length, 0, "no confirmation for an undoable change");
      await t.waitFor("the toast with Undo", async () => (await toastTexts(t)).includes(`${EDITOR} is now viewer`));
      assert.equal(await (await t.session.find('[data-testid="toast-action"]')).text(), "Undo");
      await t.screenshot("users");

      await t.session.reload();
      const after = await t.session.find(`[data-testid="user-role-${editor.id}"]`);
      await t.waitFor("the reloaded table to show the new role", async () =>
        (await after.property("value")) === "viewer");

      // the change is in the audit log, written by this app, with its before/after: this
      // admin's admin events (the demo's encrypted settings are config events, and the demo
      // fill itself is recorded for whoever ran `demo`)
      const chips = ["event_type~eq~admin", `user_email~eq~${ADMIN}`];
      await t.session.navigate(`#/audit?${chips.map((c) => `f=${encodeURIComponent(c)}`).join("&")}`);
      const appOnly = await t.session.find('[data-testid="audit-app-only"]');
      await appOnly.click();
      await t.waitFor("the filtered audit log", async () =>
        /\b1 row\b/.test(await (await t.session.find('[data-testid="total"]')).text()));
      const row = await t.session.find('[data-testid="table-audit_log"] [data-testid="row"]');
      assert.match(await row.property("textContent"), new RegExp(EDITOR.replace(/\./g, "\\.")));
      await row.click();
      await t.session.find('[data-testid="audit-diff"] tbody tr');
      // the field, its value before and after: cell by cell (the editor's email also says "editor")
      const changes = await t.session.execute(
        "return [...document.querySelectorAll('[data-testid=audit-diff] tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()));",
      );
      assert.deepEqual(changes, [["role", "editor", "viewer"]]);
      await t.screenshot("audit-diff");

      // restore, so later scenarios see the demo roles
      const restored = await invoke(t.session, "update_user", {
        req: { id: editor.id, expected_updated_at: (await userRow(t, EDITOR)).updated_at, role: "editor" },
      });
      assert.equal(restored.error, undefined, JSON.stringify(restored));
    },
  },
];

const SECRET = "E2e-Canary-4d1f07";

scenarios.push({
  name: "admin keeps a secret in configuration: masked, revealed on request, rotated, never leaked",
  operator: ADMIN,
  async run(t) {
    await t.session.navigate("#/configuration");
    const fingerprint = await t.session.find('[data-testid="key-fingerprint"]');
    // the demo made this database's key in the test keyring; create it if the demo could not
    if ((await fingerprint.text()) === "no key stored") {
      await (await t.session.find('[data-testid="key-init"]')).click();
    }
    const first = await t.waitFor("a key fingerprint", async () => {
      const text = await fingerprint.text();
      return text && text !== "no key stored" ? text : null;
    });

    await (await t.session.find('[data-testid="config-add"]')).click();
    await (await t.session.find('[data-testid="config-path"]')).type("graph.client_secret");
    await (await t.session.find('[data-testid="config-value"]')).type(SECRET);
    await (await t.session.find('[data-testid="config-save"]')).click();
    const reveal = await t.session.find('[data-testid="reveal-graph.client_secret"]');
    assert.ok(!(await t.session.execute("return document.body.innerText;")).includes(SECRET), "masked on screen");
    await t.screenshot("configuration");

    // every serialized reply but the explicit reveal is free of the secret
    const replies = [];
    for (const [command, args] of [
      ["list_rows", { table: "configuration", query: {} }],
      ["list_rows", { table: "audit_log", query: { filters: [{ column: "event_type", op: "eq", value: "config" }] } }],
      ["key_status", {}],
      ["session_info", {}],
      ["database_summary", {}],
    ]) {
      replies.push(JSON.stringify(await invoke(t.session, command, args)));
    }
    for (const r of replies) assert.ok(!r.includes(SECRET), `a reply leaked the secret: ${r.slice(0, 200)}`);
    t.noLeak(SECRET);

    await reveal.click();
    const shown = await t.session.find('[data-testid="revealed-graph.client_secret"]');
    assert.equal(await shown.text(), SECRET);

    await (await t.session.find('[data-testid="key-rotate"]')).click();
    await (await t.session.find('[data-testid="rotate-confirm"]')).click();
    const second = await t.waitFor("the new fingerprint", async () => {
      const text = await (await t.session.find('[data-testid="key-fingerprint"]')).text();
      return text && text !== first ? text : null;
    });
    assert.notEqual(second, first);
    const health = await (await t.session.find('[data-testid="key-health"]')).text();
    const [, good, all] = health.match(/(\d+) of (\d+) encrypted values decrypt/) ?? [];
    assert.ok(Number(all) >= 1 && good === all, health);

    // the audit trail has each step, and no table the app writes to holds the secret
    const audit = t.cli(["list", "audit_log", "--filter", "event_type=eq:config", "--limit", "20"]);
    const operations = audit.rows.map((r) => r.additional_data?.operation);
    for (const op of ["keys.init", "config.set", "config.reveal", "keys.rotate"]) {
      assert.ok(operations.includes(op), `audit has ${op}: ${operations.join(", ")}`);
    }
    for (const table of ["audit_log", "access_attempts", "error_log", "configuration"]) {
      const text = JSON.stringify(t.cli(["list", table, "--limit", "500"]));
      assert.ok(!text.includes(SECRET), `${table} leaked the secret`);
    }
    t.noLeak(SECRET);
  },
});

scenarios.push({
  name: "admin removes expired sessions on their screen, then the rest from the dashboard, seeing the counts first",
  operator: ADMIN,
  async run(t) {
    const before = t.cli(["stats"]).expired;
    assert.ok(before.Session > 0 && before.SearchCache > 0, `the demo has expired rows: ${JSON.stringify(before)}`);
    await t.session.navigate("#/sessions");
    await t.session.find('[data-testid="table-sessions"] [data-testid="row"]');
    assert.match(await (await t.session.find(".badge-expired")).property("textContent"), /expired .* ago/);
    const preview = () =>
      t.waitFor("the counts to remove", async () => {
        const items = await t.session.all('[data-testid="cleanup-preview"] li');
        const texts = await Promise.all(items.map((li) => li.text()));
        return texts.length && !texts.includes("counting…") ? texts.sort() : null;
      });
    // on the Sessions screen it removes sessions only, says how many first, and nothing before
    // the confirmation
    await (await t.session.find('[data-testid="cleanup-expired"]')).click();
    assert.deepEqual(await preview(), [`${before.Session} Session`]);
    assert.deepEqual(t.cli(["stats"]).expired, before, "nothing removed before the confirmation");
    await t.screenshot("remove-expired");
    await (await t.session.find('[role="dialog"] [data-testid="confirm"]')).click();
    const result = await (await t.session.find('[data-testid="cleanup-result"]')).text();
    assert.equal(result, `Removed ${before.Session} Session`);
    assert.deepEqual(t.cli(["stats"]).expired, { ...before, Session: 0 }, "the other tables keep theirs");
    await t.screenshot("sessions");

    // the dashboard's clean-up takes all three tables, listing each
    await t.session.navigate("#/dashboard");
    await (await t.session.find('[data-testid="dashboard"] [data-testid="cleanup-expired"]')).click();
    const rest = Object.entries({ ...before, Session: 0 }).map(([model, n]) => `${n} ${model}`).sort();
    assert.deepEqual(await preview(), rest);
    await (await t.session.find('[role="dialog"] [data-testid="confirm"]')).click();
    await t.waitFor("everything expired to be removed", async () =>
      JSON.stringify(t.cli(["stats"]).expired) === JSON.stringify({ ApiToken: 0, SearchCache: 0, Session: 0 }));
  },
});

scenarios.push({
  name: "an employee's photo loads from the database through the photo scheme",
  operator: VIEWER,
  async run(t) {
    await t.session.navigate("#/employee_profiles");
    await t.session.find('[data-testid="photo-grid"] [data-testid="photo-tile"]');
    const thumbsLoaded = await t.waitFor("thumbnails", async () => {
      const widths = await t.session.execute(
        "return [...document.querySelectorAll('[data-testid=photo-tile] img')].slice(0, 12).map((i) => i.complete ? i.naturalWidth : 0);",
      );
      return widths.length > 0 && widths.every((w) => w > 0) ? widths : null;
    });
    assert.ok(thumbsLoaded.every((w) => w <= 160), `thumbnails are small: ${thumbsLoaded}`);
    await (await t.session.find('[data-testid="photo-tile"]:has(img)')).click();
    const width = await t.waitFor("the full photo", async () =>
      t.session.execute("const i = document.querySelector('[data-testid=profile-photo]'); return i && i.complete ? i.naturalWidth : 0;"));
    assert.ok(width > 0);
    // a viewer may look but not change
    const buttons = await t.session.execute(
      "return [...document.querySelectorAll('.profile-detail button')].map((b) => [b.textContent, b.disabled, b.title || b.dataset.tip]);",
    );
    assert.ok(buttons.length === 3 && buttons.every(([, disabled, title]) => disabled && /editor/.test(title)), JSON.stringify(buttons));
    // the backend refuses before it opens a dialog: the call returns at once, no dialog shown
    const profile = t.cli(["list", "employee_profiles", "--limit", "1"]).rows[0];
    const refused = await invoke(t.session, "replace_photo", {
      req: { id: profile.id, expected_updated_at: profile.updated_at },
    });
    assert.equal(refused.error?.kind, "forbidden", JSON.stringify(refused));
    assert.equal(visible(PHOTO_DIALOG), null, "no dialog for a refused command");
    // anything but a photo id is refused by the scheme itself: the same probe that loads the
    // shown photo fails for a path outside the scheme's shape (fetch cannot tell: the scheme
    // sends no CORS headers, so any fetch of it is rejected)
    const shown = await t.session.execute("return document.querySelector('[data-testid=profile-photo]').src;");
    const probes = await t.session.executeAsync(
      `const done = arguments[arguments.length - 1];
       const probe = (src) => new Promise((r) => {
         const i = new Image();
         i.onload = () => r("loaded");
         i.onerror = () => r("refused");
         i.src = src;
       });
       Promise.all([probe(arguments[0]), probe(arguments[0].replace(/[^/]+$/, "..%2F..%2Fetc%2Fpasswd"))]).then(done);`,
      shown,
    );
    assert.deepEqual(probes, ["loaded", "refused"], `probes of ${shown}`);
    await t.screenshot("employee-profiles");
  },
});

// a 37 × 23 PNG
const SMALL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACUAAAAXCAIAAAADThHyAAAAJklEQVR42mM4YaNBT8Qwat+ofaP2jdo3at+ofaP2jdo3at+gsg8AwjTlctcy8SAAAAAASUVORK5CYII=",
  "base64",
);

scenarios.push({
  name: "an editor replaces a photo through the open dialog; a file that is no image is refused",
  operator: EDITOR,
  async run(t) {
    const photo = `${t.outDir}/new-photo.png`;
    const fake = `${t.outDir}/not-a-photo.png`;
    writeFileSync(photo, SMALL_PNG);
    writeFileSync(fake, "just text, named like an image");
    const fullWidth = () =>
      t.session.execute("const i = document.querySelector('[data-testid=profile-photo]'); return i && i.complete ? i.naturalWidth : 0;");
    await t.session.navigate("#/employee_profiles");
    const tile = await t.session.find('[data-testid="photo-tile"]:has(img)');
    const email = (await tile.attribute("title")) ?? (await tile.attribute("data-tip"));
    await tile.click();
    const before = await t.waitFor("the full photo", fullWidth);
    assert.notEqual(before, 37);

    await (await t.session.find('[data-testid="replace-photo"]')).click();
    await answerOpen(PHOTO_DIALOG, fake);
    await t.waitFor("the refusal", async () =>
      (await t.session.execute("return document.body.textContent;")).includes("not a PNG, JPEG, GIF or WebP image"));
    assert.equal(await fullWidth(), before, "the refused file changed nothing");

    await (await t.session.find('[data-testid="replace-photo"]')).click();
    await answerOpen(PHOTO_DIALOG, photo);
    // the drawer closes on success; the tile's thumbnail and then the full photo are the new image
    await t.waitFor("the new thumbnail", async () =>
      (await t.session.execute(
        "const i = document.querySelector(`[data-testid=photo-tile]:is([title='${arguments[0]}'], [data-tip='${arguments[0]}']) img`); return i && i.complete ? i.naturalWidth : 0;",
        email,
      )) === 37);
    await (await t.session.find(`[data-testid="photo-tile"]:is([title="${email}"], [data-tip="${email}"])`)).click();
    await t.waitFor("the new full photo", async () => (await fullWidth()) === 37);
    const audit = t.cli(["list", "audit_log", "--filter", `user_email=eq:${EDITOR}`, "--limit", "1"]).rows[0];
    assert.equal(audit.additional_data.operation, "profiles.photo");
    await t.screenshot("photo-replaced");
  },
});

scenarios.push({
  name: "an editor adds and removes a compliance mapping; the report lists gaps",
  operator: EDITOR,
  async run(t) {
    const count = () => t.cli(["list", "job_role_mappings", "--limit", "1"]).total.value;
    const before = count();
    await t.session.navigate("#/compliance");
    await t.session.find('[data-testid="compliance-matrix"]');
    const cell = await t.session.find('[data-testid^="mapping-"]:not(:checked)');
    const testid = await cell.attribute("data-testid");
    const [job, role] = (await cell.attribute("aria-label")).split(" requires ");
    await cell.click();
    // a cell changes at once (it can be undone: the toast offers Undo), saying whom it reaches
    await t.waitFor("the mapping to be added", async () => count() === before + 1);
    assert.equal((await t.session.all('[role="dialog"]')).length, 0, "no confirmation for an undoable change");
    await t.waitFor("the cell to show it", async () =>
      (await (await t.session.find(`[data-testid="${testid}"]`)).property("checked")) === true);
    const said = await t.waitFor("the toast", async () => (await toastTexts(t)).find((x) => x.startsWith(`${job} now requires ${role}`)));
    const reach = / \((\d+) of its (\d+) employees? do(?:es)? not hold it\)$/.exec(said);
    if (reach) assert.ok(Number(reach[1]) <= Number(reach[2]), said);
    await t.screenshot("compliance-matrix");
    await (await t.session.find(`[data-testid="${testid}"]`)).click();
    await t.waitFor("the mapping to be removed", async () => count() === before);

    await (await t.session.find('[data-testid="tab-report"]')).click();
    await t.session.find('[data-testid="compliance-report"] [data-testid="compliance-gap"]');
    await t.screenshot("compliance-report");
    const gaps = (await t.session.all('[data-testid="compliance-gap"]')).length;
    const path = `${t.outDir}/compliance.csv`;
    await (await t.session.find('[data-testid="export-report"]')).click();
    await answerSave("Export the compliance report", path);
    await t.waitFor("the report file", async () => existsSync(path));
    const lines = t.readFile(path).trim().split("\n");
    assert.equal(lines[0], "email,job_code,missing,extra");
    assert.equal(lines.length, gaps + 1);
  },
});

scenarios.push({
  name: "a viewer filters the audit log by event type and date, scrolls to its end, and exports it to CSV",
  operator: VIEWER,
  async run(t) {
    // configuration events of the last 60 days: several pages of the demo log
    const since = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    const filters = ["--filter", "event_type=eq:config", "--filter", `created_at=gte:${since}`];
    const expected = t.cli(["list", "audit_log", ...filters, "--limit", "1"]).total;
    assert.equal(expected.kind, "exact");
    // more than the pages fetched ahead of the first view, so the end needs scrolling
    assert.ok(expected.value > 300, `enough rows to page: ${expected.value}`);

    const chips = ["event_type~eq~config", `created_at~gte~${since}`].map((f) => `f=${encodeURIComponent(f)}`);
    await t.session.navigate(`#/audit?${chips.join("&")}`);
    await t.session.find('[data-testid="table-audit_log"] [data-testid="row"]');
    const loaded = () =>
      t.session.execute(
        "return document.querySelector('[data-testid=table-audit_log] [role=grid] > div:last-child').style.height;",
      );
    // pages load ahead of the viewport, not all at once: scrolling to the end loads the rest,
    // until every selected row has been reached
    const rowsOf = (height) => parseInt(height, 10) / 34;
    const first = rowsOf(await loaded());
    assert.ok(first >= 100 && first <= 300, `at most three pages before scrolling: ${first}`);
    let rowsLoaded = first;
    for (let i = 0; i < 20 && rowsLoaded < expected.value; i++) {
      await t.session.execute("const g = document.querySelector('[data-testid=table-audit_log] [role=grid]'); g.scrollTop = g.scrollHeight;");
      rowsLoaded = await t.waitFor("the next page", async () => {
        const n = rowsOf(await loaded());
        return n !== rowsLoaded ? n : null;
      });
    }
    assert.equal(rowsLoaded, expected.value, "scrolling reaches every selected row");
    assert.ok(rowsLoaded > first, "the end was reached by scrolling");
    // the last row is on screen, not a placeholder of a page still loading
    await t.waitFor("the last rows", async () =>
      (await t.session.execute("return document.querySelectorAll('[data-testid=table-audit_log] [data-testid=row-loading]').length;")) === 0);
    assert.match(await (await t.session.find('[data-testid="total"]')).text(), new RegExp(`^${expected.value.toLocaleString("en-US")} rows`));
    await t.screenshot("audit-filtered");

    // Export… asks where in a native save dialog; the file appears only once complete
    const path = `${t.outDir}/audit-export.csv`;
    await (await t.session.find('[data-testid="export"]')).click();
    await answerSave("Export audit_log", path);
    await t.waitFor("the export file", async () => existsSync(path), 30000);
    const lines = t.readFile(path).trim().split("\n");
    // exactly the rows the filters select (counted again now: one CI run saw the count change
    // between the start of the scenario and the export)
    const selected = t.cli(["list", "audit_log", ...filters, "--limit", "1"]).total.value;
    assert.equal(lines.length, selected + 1, `a header and one line per row (${expected.value} at the start)`);
    assert.match(lines[0], /^id,event_type,/);
    assert.ok(lines.slice(1).every((l) => l.split(",")[1] === "config"), "only the filtered rows");
    await t.waitFor("the toast", async () =>
      (await t.session.execute("return document.body.textContent;")).includes(
        `Exported ${selected.toLocaleString("en-US")} rows as CSV to audit-export.csv in ${t.outDir}`,
      ));

    // the same selection as JSON, picked by the name typed in the dialog
    const json = `${t.outDir}/audit-export.json`;
    await (await t.session.find('[data-testid="export"]')).click();
    await answerSave("Export audit_log", json);
    await t.waitFor("the JSON export", async () => existsSync(json), 30000);
    const rows = JSON.parse(t.readFile(json));
    assert.equal(rows.length, t.cli(["list", "audit_log", ...filters, "--limit", "1"]).total.value);
    assert.ok(rows.every((r) => r.event_type === "config"));
    await t.waitFor("the JSON toast", async () =>
      (await t.session.execute("return document.body.textContent;")).includes(
        `Exported ${rows.length.toLocaleString("en-US")} rows as JSON to audit-export.json in ${t.outDir}`,
      ));

    // cancelling the dialog writes nothing (no new export row) and leaves the button ready
    const exportsBefore = t.cli(["list", "audit_log", "--filter", `user_email=eq:${VIEWER}`, "--filter", "message=contains:Exported"]).total.value;
    await (await t.session.find('[data-testid="export"]')).click();
    await cancelDialog("Export audit_log");
    await t.waitFor("the Export button back", async () => (await t.session.all('[data-testid="export"]')).length === 1);
    const exportsAfter = t.cli(["list", "audit_log", "--filter", `user_email=eq:${VIEWER}`, "--filter", "message=contains:Exported"]).total.value;
    assert.equal(exportsAfter, exportsBefore, "a cancelled export is not recorded");
    assert.ok(exportsBefore >= 2, "the two exports above were recorded");
  },
});

scenarios.push({
  name: "an editor imports Genesys groups and sees what was created and updated",
  operator: EDITOR,
  async run(t) {
    const existing = t.cli(["list", "genesys_groups", "--limit", "1"]).rows[0];
    const items = [
      { id: existing.service_id, name: `${existing.name} (renamed)`, state: "active" },
      { id: "e2e-new-group", name: "E2E Imported Group", state: "active" },
    ];
    // the file a Genesys API export would be: one page of entities
    const file = `${t.outDir}/genesys-groups.json`;
    writeFileSync(file, JSON.stringify({ entities: items, pageSize: 25, pageNumber: 1 }));
    await t.session.navigate("#/genesys_groups");
    await (await t.session.find('[data-testid="genesys-import"]')).click();
    await answerOpen("Import Genesys groups", file);
    const result = await t.waitFor("the import result", async () =>
      (await t.session.all('[data-testid="genesys-import-result"]')).length > 0 &&
      (await (await t.session.find('[data-testid="genesys-import-result"]')).text()));
    assert.equal(result, "1 created, 1 updated");
    const renamed = t.cli(["list", "genesys_groups", "--filter", `service_id=eq:${existing.service_id}`]).rows[0];
    assert.equal(renamed.name, `${existing.name} (renamed)`);
    await t.session.navigate(`#/genesys_groups?f=${encodeURIComponent("name~contains~E2E Imported")}`);
    const row = await t.session.find('[data-testid="table-genesys_groups"] [data-testid="row"]');
    assert.match(await row.property("textContent"), /E2E Imported Group/);
    await t.screenshot("genesys-groups");
  },
});

scenarios.push({
  name: "the dashboard shows table counts, expired rows and audit events per day",
  operator: VIEWER,
  async run(t) {
    await t.session.navigate("#/dashboard");
    await t.session.find('[data-testid="dashboard"]');
    const bars = await t.waitFor("the chart", async () => {
      const counts = await t.session.execute(
        "return [...document.querySelectorAll('[data-testid=audit-chart] rect')].map((r) => Number(r.dataset.count));",
      );
      return counts.length ? counts : null;
    });
    assert.equal(bars.length, 30);
    const perDay = await t.session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke("audit_per_day", { days: 30 }).then(done, (e) => done(e));`,
    );
    assert.deepEqual(bars, perDay.map((d) => d.count));
    assert.ok(bars.some((n) => n > 0), "the demo log spans these days");
    const text = await (await t.session.find('[data-testid="dashboard"]')).text();
    // tables go by the sidebar's names, and a row opens its table's screen
    assert.match(text, /Employee profiles\s*1,000/);
    await t.screenshot("dashboard");
    await (await t.session.find('[data-testid="dashboard-table-AccessAttempt"]')).click();
    await t.waitFor("the Access attempts screen", async () =>
      (await t.session.execute("return document.querySelector('main h1')?.textContent;")) === "Access attempts");
  },
});

scenarios.push({
  name: "an admin adds a SQLite connection, tests it, and switches the window to it",
  operator: ADMIN,
  async run(t) {
    // a second database, made with the CLI
    const second = `${t.outDir}/second-${Date.now()}.db`;
    t.cliAt(`sqlite://${second}`, ["demo", "--scale", "1", "--seed", "7"]);
    await t.session.navigate("#/connections");
    await (await t.session.find('[data-testid="connection-add"]')).click();
    await (await t.session.find('[data-testid="connection-name"]')).type("Second");
    // Browse… opens the native file dialog, which fills in the path
    await (await t.session.find('[data-testid="connection-browse"]')).click();
    await answerOpen("Choose a WhoDis SQLite database", second);
    await t.waitFor("the chosen path", async () =>
      (await (await t.session.find('[data-testid="connection-path"]')).property("value")) === second);
    await (await t.session.find('[data-testid="connection-operator"]')).type(VIEWER);
    await (await t.session.find('[data-testid="connection-test"]')).click();
    const tested = await (await t.session.find('[data-testid="connection-test-result"]')).text();
    assert.match(tested, /^Connected to sqlite:\/\/.*second-.*schema v4/, tested);
    await (await t.session.find('[data-testid="connection-save"]')).click();
    const card = await t.session.find('[data-testid="connection-Second"]');
    await t.screenshot("connections");
    await (await t.session.find('[data-testid="connection-Second"] [data-testid="connection-open"]')).click();
    await t.waitFor("the header to show the second database's operator", async () =>
      (await (await t.session.find('[data-testid="operator-email"]')).text()) === VIEWER);
    assert.equal(await (await t.session.find('[data-testid="operator-role"]')).text(), "viewer");
    await t.session.navigate("#/connections");
    await t.waitFor("the open badge", async () =>
      /open/.test(await (await t.session.find('[data-testid="connection-Second"]')).text()));
    assert.ok(card);
  },
});

scenarios.push({
  name: "the command palette jumps to a screen and to a person",
  operator: VIEWER,
  async run(t) {
    const palette = () =>
      t.session.execute("window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));");
    await palette();
    await (await t.session.find('[data-testid="command-palette"] input')).type("sessions");
    await (await t.session.find('[data-testid="command-palette"] li[aria-selected="true"]')).click();
    await t.session.find('[data-testid="table-sessions"]');
    await palette();
    await (await t.session.find('[data-testid="command-palette"] input')).type("demo.edit");
    const person = await t.waitFor("the person in the palette", async () => {
      for (const li of await t.session.all('[data-testid="command-palette"] li')) {
        if ((await li.text()).startsWith(`${EDITOR} user`)) return li;
      }
      return null;
    });
    await person.click();
    const row = await t.session.find('[data-testid="table-users"] [data-testid="row"]');
    assert.match(await row.property("textContent"), new RegExp(EDITOR.replace(/\./g, "\\.")));
    assert.equal((await t.session.all('[data-testid="table-users"] [data-testid="row"]')).length, 1);
  },
});

scenarios.push({
  name: "a file dialog on the database's folder and the CLI beside the window lose no write",
  operator: ADMIN,
  async run(t) {
    if (t.backend !== "sqlite") return; // the embedded file's locks; PostgreSQL has none
    const folder = t.databaseUrl.replace(/^sqlite:\/\//, "").replace(/\/[^/]*$/, "");
    await t.session.navigate("#/connections");
    await (await t.session.find('[data-testid="connection-add"]')).click();
    await (await t.session.find('[data-testid="connection-browse"]')).click();
    // the dialog lists (and sniffs) the database's own folder, then is cancelled
    await browseTo("Choose a WhoDis SQLite database", folder);
    // GTK may complete the folder to the one file in it and take it; otherwise cancel
    if (visible("Choose a WhoDis SQLite database")) await cancelDialog("Choose a WhoDis SQLite database");
    // the CLI on the same file, as README invites, while the window holds it open
    t.cli(["stats"]);
    const added = [];
    for (const email of ["lock.one@whodis.example", "lock.two@whodis.example"]) {
      await t.session.navigate("#/users");
      await (await t.session.find('[data-testid="user-create"]')).click();
      await (await t.session.find('[data-testid="user-email"]')).type(email);
      await (await t.session.find('[data-testid="user-save"]')).click();
      await t.waitFor(`${email} added`, async () =>
        (await t.session.execute("return document.body.innerText;")).includes(email));
      added.push(email);
      t.cli(["stats"]);
    }
    // quit the app, then every write is in the file
    await t.session.end();
    await t.waitFor("the app to exit", async () => {
      try {
        return t.cli(["list", "users", "--filter", "email=contains:lock."]).rows.length === added.length;
      } catch {
        return false;
      }
    });
  },
});

scenarios.push({
  name: "connections take files from the dialog only and keep a saved password with its server",
  operator: ADMIN,
  async run(t) {
    // a path the page makes up is refused, and nothing is created there
    const madeUp = `${t.outDir}/made-up-${Date.now()}.db`;
    const sqliteReq = { name: "Made up", target: { kind: "sqlite", path: madeUp } };
    for (const command of ["save_connection", "test_connection"]) {
      const reply = await invoke(t.session, command, { req: sqliteReq });
      assert.equal(reply.error?.kind, "invalid", `${command}: ${JSON.stringify(reply)}`);
      assert.equal(reply.error?.field, "path");
    }
    assert.ok(!existsSync(madeUp), "no file was created");

    // a PostgreSQL profile's saved password is used only with the server it was saved for
    const target = { kind: "postgres", host: "127.0.0.1", port: 5432, database: "postgres", user: "postgres", tls: "disable" };
    const saved = await invoke(t.session, "save_connection", {
      req: { name: "Saved pg", target, password: "pw-for-127.0.0.1" },
    });
    assert.ok(saved.data?.id, JSON.stringify(saved));
    const id = saved.data.id;
    try {
      const same = await invoke(t.session, "test_connection", { req: { id, name: "Saved pg", target } });
      assert.ok(same.data, `the saved server connects: ${JSON.stringify(same)}`);
      for (const moved of [{ host: "127.0.0.2" }, { port: 5433 }, { user: "someone" }, { tls: "require" }]) {
        const reply = await invoke(t.session, "test_connection", {
          req: { id, name: "Saved pg", target: { ...target, ...moved } },
        });
        assert.equal(reply.error?.field, "password", `${JSON.stringify(moved)}: ${JSON.stringify(reply)}`);
      }
    } finally {
      await invoke(t.session, "remove_connection", { id });
    }
    t.noLeak("pw-for-127.0.0.1");

    // a PostgreSQL profile opens in this window (a fresh database: made ours on open), and the
    // open profile cannot be removed from under the window
    const adminUrl = process.env.WHODIS_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const fresh = `whodis_e2e_profile_${process.pid}`;
    const psql = (sql) => execFileSync("psql", [adminUrl, "-qAtc", sql], { encoding: "utf8" });
    psql(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    psql(`CREATE DATABASE ${fresh}`);
    try {
      const profile = await invoke(t.session, "save_connection", {
        req: { name: "Fresh pg", target: { ...target, database: fresh } },
      });
      assert.ok(profile.data?.id, JSON.stringify(profile));
      const opened = await invoke(t.session, "open_connection", { id: profile.data.id });
      assert.equal(opened.data?.backend, "postgres", JSON.stringify(opened));
      assert.ok(opened.data.database.includes(`/${fresh}?`), opened.data.database);
      assert.equal(opened.data.origin?.kind, "ours");
      const info = await invoke(t.session, "session_info", {});
      assert.equal(info.data?.database, opened.data.database, "the window works on the opened database");
      const users = await invoke(t.session, "list_rows", { table: "users", query: {} });
      assert.deepEqual(users.data?.rows, [], "its (empty) users, not the demo's");
      const removing = await invoke(t.session, "remove_connection", { id: profile.data.id });
      assert.equal(removing.error?.field, "id", JSON.stringify(removing));
    } finally {
      psql(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    }
  },
});

scenarios.push({
  name: "a second launch hands its database to the open window; About names it and the log file",
  operator: ADMIN,
  async run(t) {
    await header(t);
    const other = `${t.outDir}/second-launch-${Date.now()}.db`;
    t.cliAt(`sqlite://${other}`, ["demo", "--scale", "1", "--seed", "3"]);
    // one instance: the second process hands its arguments over and exits (a second window
    // would never exit, and the timeout fails the scenario)
    const env = { ...process.env, WHODIS_OPERATOR: "", WHODIS_DATABASE_URL: "" };
    execFileSync(t.app, ["--database", `sqlite://${other}`, "--operator", VIEWER], { env, timeout: 20000 });
    await t.waitFor("the window to switch to the second launch's database", async () =>
      (await (await t.session.find('[data-testid="operator-email"]')).text()) === VIEWER);
    const toasts = await Promise.all((await t.session.all('[data-testid="toast"]')).map((e) => e.text()));
    assert.ok(toasts.some((text) => text.includes("from another launch")), toasts.join(" | "));
    // a second launch with a database that cannot be opened says why, and the window stays
    execFileSync(t.app, ["--database", "sqlite:///nonexistent-dir/x/y.db"], { env, timeout: 20000 });
    await t.waitFor("the refusal", async () => {
      const texts = await Promise.all((await t.session.all(".toast-error")).map((e) => e.text()));
      return texts.some((text) => text.includes("there is no database at /nonexistent-dir/x/y.db"));
    });
    assert.ok(!existsSync("/nonexistent-dir"), "nothing was created for the refused launch");
    assert.equal(await (await t.session.find('[data-testid="operator-email"]')).text(), VIEWER);

    await t.session.execute("window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F1' }));");
    const field = async (name) => (await t.session.find(`[data-testid="about-${name}"]`)).text();
    await t.waitFor("the About dialog", async () => (await field("database")).includes(other));
    assert.match(await field("version"), /^\d+\.\d+\.\d+ \((debug|release) build, linux /);
    assert.match(await field("keyring"), /Secret Service/);
    assert.equal(await field("log-folder"), t.logDir);
    // the tested build has no updater: it says how it is updated instead
    await (await t.session.find('[data-testid="update-check"]')).click();
    await t.waitFor("the update status", async () => /package manager/.test(await field("updates")));
    await t.screenshot("about");
    const log = t.logFiles();
    assert.match(log, /a second launch opens sqlite:\/\//, "the log file records the second launch");
  },
});

scenarios.push({
  name: "the window keeps its size when the app is ended without a close",
  operator: VIEWER,
  async run(t) {
    const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8" }).trim();
    const windowId = () => xdotool("search", "--name", "^WhoDis Admin — ").split("\n")[0];
    const size = () => {
      const geometry = xdotool("getwindowgeometry", windowId());
      const [, w, h] = geometry.match(/Geometry: (\d+)x(\d+)/) ?? [];
      return [Number(w), Number(h)];
    };
    const stateFile = join(homedir(), ".config", "com.whodis.admin", ".window-state.json");
    const saved = () => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")).main : null);
    const resize = async (w, h) => {
      xdotool("windowsize", windowId(), String(w), String(h));
      await t.waitFor(`the size ${w}x${h} to be saved`, async () => saved()?.width === w && saved()?.height === h);
    };
    try {
      await resize(1000, 650);
      // tauri-driver ends the app with a kill: only the save after the resize can have kept it
      await t.restart();
      await t.waitFor("the restored size", async () => size()[0] === 1000 && size()[1] === 650);
    } finally {
      // the scenarios after this one expect the configured size
      await resize(1100, 720);
    }
  },
});

const SERVER_ADMIN = "server.admin@whodis.example";

/** The WhoDis server's side reads the database back: every table, every secret decrypted. */
function serverDump(t) {
  return t.server.fixture(["dump", "--url", t.server.url, `--key=${t.server.key}`]);
}

scenarios.push({
  name: "admin works on the WhoDis server's own database beside the server",
  operator: SERVER_ADMIN,
  database: "server",
  async run(t) {
    assert.deepEqual(await header(t), { email: SERVER_ADMIN, role: "admin" });
    const banner = await t.session.find('[data-testid="foreign-banner"]');
    assert.match(await banner.text(), /never migrates it/);

    // what the database holds, compared with the models; nothing has changed it
    await t.session.navigate("#/schema");
    const assignments = await t.session.find('[data-testid="schema-row-employee_role_assignments"]');
    assert.match(await assignments.text(), /missing/);
    assert.match(await (await t.session.find('[data-testid="schema-extra-tables"]')).text(), /blocked_numbers/);
    await t.screenshot("server-schema");

    // the server's rows list, the legacy ones (NULL success, event type) included
    await t.session.navigate("#/audit");
    const total = t.cli(["list", "audit_log", "--limit", "1"]).total.value;
    await t.waitFor("the audit total", async () =>
      new RegExp(`^${total} rows`).test(await (await t.session.find('[data-testid="total"]')).text()));
    assert.equal((await t.session.all('[data-testid="row-unreadable"]')).length, 0, "every server row decodes");

    // the server's key, pasted once; its secrets reveal and change in the server's format
    await t.session.navigate("#/configuration");
    await (await t.session.find('[data-testid="server-key-open"]')).click();
    await (await t.session.find('[data-testid="server-key-input"]')).type(t.server.key);
    await (await t.session.find('[data-testid="server-key-import"]')).click();
    await t.waitFor("the server's values to decrypt", async () =>
      /4 of 4 encrypted values decrypt/.test(await (await t.session.find('[data-testid="key-health"]')).text()));
    assert.match(await (await t.session.find('[data-testid="format-note"]')).text(), /WhoDis server reads/);
    assert.ok(!(await t.session.execute("return document.body.innerText;")).includes(t.server.key), "key never shown");
    await (await t.session.find('[data-testid="reveal-ldap.bind_password"]')).click();
    const shown = await t.session.find('[data-testid="revealed-ldap.bind_password"]');
    assert.equal(await shown.text(), "Server-LDAP-p4ss");
    // the import's toast sits over the last rows of the settings grouped by category
    await t.waitFor("the toasts to go", async () => (await t.session.all('[data-testid="toast"]')).length === 0);
    await (await t.session.find('[data-testid="config-edit-ldap.bind_password"]')).click();
    await (await t.session.find('[data-testid="config-value"]')).type("Changed-in-the-window");
    await (await t.session.find('[data-testid="config-save"]')).click();
    await t.waitFor("the edit dialog to close", async () =>
      (await t.session.all('[data-testid="config-value"]')).length === 0);
    await t.screenshot("server-configuration");

    // a user and a session, written so the server still reads them
    await t.session.navigate("#/users");
    await (await t.session.find('[data-testid="user-create"]')).click();
    await (await t.session.find('[data-testid="user-email"]')).type("window.viewer@whodis.example");
    await (await t.session.find('[data-testid="user-save"]')).click();
    await t.waitFor("the new user", async () =>
      t.cli(["list", "users", "--filter", "email=eq:window.viewer@whodis.example"]).rows.length === 1);
    const before = serverDump(t);
    await t.session.navigate("#/sessions");
    await (await t.session.find('[data-testid="extend-3"]')).click();
    await t.waitFor("the session to be extended", async () => {
      const row = t.cli(["list", "sessions", "--filter", "id=eq:3"]).rows[0];
      const was = before.tables.sessions.find((s) => s.id === 3).expires_at;
      return Date.parse(`${row.expires_at}`) - Date.parse(`${was}${/[Z+]/.test(was.slice(19)) ? "" : "Z"}`) === 86400000;
    });

    // adopt: the exact statements, run only on confirm (once the earlier toasts have gone, as a
    // person would wait for them)
    await t.waitFor("the toasts to go", async () => (await t.session.all('[data-testid="toast"]')).length === 0);
    await t.session.navigate("#/schema");
    await (await t.session.find('[data-testid="adopt-open"]')).click();
    const statements = await (await t.session.find('[data-testid="adopt-statements"]')).text();
    assert.match(statements, /CREATE TABLE employee_role_assignments/);
    await t.screenshot("server-adopt-plan");
    await (await t.session.find('[data-testid="adopt-confirm"]')).click();
    await t.waitFor("every table compatible", async () =>
      /compatible/.test(await (await t.session.find('[data-testid="schema-row-employee_role_assignments"]')).text()));
    assert.equal(t.cli(["adopt", "--plan"]).plan.statements.length, 0);

    // the server keeps writing while the window is open; the list shows its rows when reloaded
    const added = t.server.fixture(["insert-audit", "--url", t.server.url, "--count", "3"]).ids;
    await t.session.navigate("#/dashboard");
    await t.session.navigate("#/audit");
    const now = t.cli(["list", "audit_log", "--limit", "1"]);
    assert.equal(now.rows[0].id, added[2], "the server's last row is the newest");
    await t.waitFor("the server's new rows in the list", async () =>
      new RegExp(`^${now.total.value} rows`).test(await (await t.session.find('[data-testid="total"]')).text()));

    // and the server reads everything back, decrypting the secret changed in the window
    const after = serverDump(t);
    assert.equal(after.config["ldap.bind_password"], "Changed-in-the-window");
    assert.equal(after.config["genesys.client_secret"], "Server-genesys-s3cret");
    assert.ok(after.tables.users.some((u) => u.email === "window.viewer@whodis.example"));
  },
});

scenarios.push({
  name: "an editor toggles a compliance matrix cell and Undo in the toast puts it back, both ways",
  operator: EDITOR,
  async run(t) {
    const total = () => t.cli(["list", "job_role_mappings", "--limit", "1"]).total.value;
    const before = total();
    await t.session.navigate("#/compliance");
    await t.session.find('[data-testid="compliance-matrix"]');
    const ids = (testid) => testid.match(/^mapping-(\d+)-(\d+)$/).slice(1).map(Number);
    const cellChecked = async (testid) => (await (await t.session.find(`[data-testid="${testid}"]`)).property("checked")) === true;
    /** Clicks the cell, checks the change is made at once, then presses Undo in its toast. */
    const toggleAndUndo = async (css, adding) => {
      const cell = await t.session.find(css);
      const testid = await cell.attribute("data-testid");
      const [job, role] = ids(testid);
      const [jobName, roleName] = (await cell.attribute("aria-label")).split(" requires ");
      assert.equal(mapped(t, job, role), !adding, `${testid} before the click`);
      await cell.click();
      // no question: the change is made at once, and the toast offers Undo
      const undo = await t.session.find('[data-testid="toast-action"]');
      assert.equal(await undo.text(), "Undo");
      assert.equal(mapped(t, job, role), adding, `${testid} changed at once`);
      assert.equal((await t.session.all('[role="dialog"]')).length, 0, "no confirmation");
      const done = adding ? `${jobName} now requires ${roleName}` : `${jobName} no longer requires ${roleName}`;
      assert.ok((await toastTexts(t)).some((x) => x.startsWith(done)), (await toastTexts(t)).join(" | "));
      await t.waitFor(`${testid} to show the change`, async () => (await cellChecked(testid)) === adding);
      await undo.click();
      // the inverse ran: the database and the cell are as they were
      await t.waitFor(`${testid} to be undone`, async () => mapped(t, job, role) === !adding);
      await t.waitFor(`${testid} to show the undo`, async () => (await cellChecked(testid)) === !adding);
      const undone = adding ? `Undone: ${jobName} no longer requires ${roleName}` : `Undone: ${jobName} requires ${roleName} again`;
      await t.waitFor("the undone toast", async () => (await toastTexts(t)).includes(undone));
      assert.equal((await t.session.all('[data-testid="toast-action"]')).length, 0, "Undo is used once");
    };
    await toggleAndUndo('[data-testid^="mapping-"]:not(:checked):not(:disabled)', true);
    await t.screenshot("compliance-undo");
    await toggleAndUndo('[data-testid^="mapping-"]:checked:not(:disabled)', false);
    assert.equal(total(), before, "as many mappings as before");
  },
});

scenarios.push({
  name: "the header's time setting shows a known row's created_at in UTC or local time",
  operator: VIEWER,
  async run(t) {
    const row = t.cli(["list", "audit_log", "--limit", "1"]).rows[0];
    const stored = String(row.created_at);
    // an instant; a bare one (no zone) is UTC, as the app reads it
    const instant = /(Z|[+-]\d{2}:?\d{2})$/.test(stored) ? stored : `${stored}Z`;
    const utcText = new Date(instant.replace(/(\.\d{3})\d+/, "$1")).toISOString().slice(0, 19).replace("T", " ");
    await t.session.navigate(`#/audit?f=${encodeURIComponent(`id~eq~${row.id}`)}`);
    await t.session.find('[data-testid="table-audit_log"] [data-testid="row"]');
    const shown = () =>
      t.session.execute(
        `const table = document.querySelector('[data-testid=table-audit_log]');
         const heads = [...table.querySelectorAll('[role=columnheader]')].map((h) => h.textContent.replace(/ [▾▴]$/, ''));
         const row = table.querySelector('[data-testid=row]');
         const cells = row ? [...row.querySelectorAll(':scope > [role=cell]')] : [];
         return cells[heads.indexOf('created_at')]?.textContent ?? null;`,
      );
    const setting = await t.session.find('[data-testid="time-zone"]');
    const switchTo = async (zone) => {
      if (!(await setting.text()).includes(zone === "utc" ? "Times: UTC" : "Times: local time")) await setting.click();
      await t.waitFor(`the ${zone} setting`, async () =>
        (await setting.text()).startsWith(zone === "utc" ? "Times: UTC" : "Times: local time"));
    };
    const was = (await setting.text()).startsWith("Times: UTC") ? "utc" : "local";
    try {
      await switchTo("utc");
      await t.waitFor("the UTC time", async () => (await shown()) === utcText);
      // the window's local time: its offset at that instant, as the page's clock has it
      const [rawOffset, localText] = await t.session.execute(
        `const at = new Date(arguments[0]);
         const pad = (n) => String(n).padStart(2, '0');
         return [-at.getTimezoneOffset(), at.getFullYear() + '-' + pad(at.getMonth() + 1) + '-' + pad(at.getDate()) + ' ' +
           pad(at.getHours()) + ':' + pad(at.getMinutes()) + ':' + pad(at.getSeconds())];`,
        instant.replace(/(\.\d{3})\d+/, "$1"),
      );
      const offset = Number(rawOffset) || 0; // never -0
      await switchTo("local");
      await t.waitFor("the local time", async () => (await shown()) === localText);
      const sign = offset < 0 ? "-" : "+";
      const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${String(Math.abs(offset) % 60).padStart(2, "0")}`;
      // the header names the offset, and the two texts are that far apart (equal when this
      // run's local time is UTC: the e2e run sets no TZ of its own)
      assert.match(await setting.text(), new RegExp(`UTC\\${sign}${hhmm}\\)$`));
      const asUtc = (text) => Date.parse(`${text.replace(" ", "T")}Z`);
      assert.equal((asUtc(localText) - asUtc(utcText)) / 60000, offset, `${localText} is ${utcText} at UTC${sign}${hhmm}`);
      await t.screenshot("time-zone-local");
      // and back: a switch shows at once, no reload
      await switchTo("utc");
      await t.waitFor("the UTC time again", async () => (await shown()) === utcText);
    } finally {
      await switchTo(was);
    }
  },
});

scenarios.push({
  name: "the audit log at its top shows a row another process writes, keeping the selected row",
  operator: VIEWER,
  async run(t) {
    await t.session.navigate("#/audit");
    const table = '[data-testid="table-audit_log"]';
    await t.session.find(`${table} [data-testid="row"]`);
    await t.waitFor("the live state", async () => (await (await t.session.find('[data-testid="follow-state"]')).text()) === "● live");
    // the id of a row: from the id column, as shown
    const idOf = (which) =>
      t.session.execute(
        `const table = document.querySelector(arguments[0]);
         const heads = [...table.querySelectorAll('[role=columnheader]')].map((h) => h.textContent.replace(/ [▾▴]$/, ''));
         const row = table.querySelector(arguments[1]);
         const cells = row ? [...row.querySelectorAll(':scope > [role=cell]')] : [];
         return cells[heads.indexOf('id')]?.textContent ?? null;`,
        table,
        which === "first" ? '[role=grid] [data-testid="row"][style*="translateY(0px)"]' : '[data-testid="row"][aria-selected="true"]',
      );
    const top = await t.waitFor("the top row", () => idOf("first"));
    // select the top row (its drawer opens too)
    await (await t.session.find(`${table} [data-testid="row"][style*="translateY(0px)"] [role="cell"]`)).click();
    await t.waitFor("the selection", async () => (await idOf("selected")) === top);
    const drawer = await (await t.session.find('[data-testid="detail-drawer"] h2')).text();
    assert.equal(drawer, `Audit log #${top}`);

    // another process writes: the CLI adds a user, which it records in the audit log
    const email = `live.log.${Date.now()}@whodis.example`;
    t.cli(["user", "add", email, "--role", "viewer"], ADMIN);
    const written = t.cli(["list", "audit_log", "--limit", "1"]).rows[0];
    assert.ok(JSON.stringify(written).includes(email), `the newest audit row is the CLI's: ${JSON.stringify(written).slice(0, 300)}`);
    // no click: the log asks for its newest page by itself
    await t.waitFor("the new row at the top", async () => (await idOf("first")) === String(written.id), 10000);
    assert.match(await (await t.session.find(`${table} [data-testid="row"][style*="translateY(0px)"]`)).property("textContent"), new RegExp(email.replace(/\./g, "\\.")));
    assert.equal(await idOf("selected"), top, "the selected row stays selected (now the second)");
    assert.equal(await (await t.session.find('[data-testid="detail-drawer"] h2')).text(), drawer, "the drawer still shows it");
    await t.screenshot("audit-live");
  },
});

scenarios.push({
  name: "a role name in the job-role mappings jumps to the role, and Back (button or Alt+Left) returns with the filter",
  operator: VIEWER,
  async run(t) {
    const mapping = t.cli(["list", "job_role_mappings", "--limit", "1"]).rows[0];
    const role = t.cli(["list", "system_roles", "--filter", `id=eq:${mapping.system_role_id}`]).rows[0];
    const from = `#/job_role_mappings?f=${encodeURIComponent(`job_code_id~eq~${mapping.job_code_id}`)}`;
    const hash = () => t.session.execute("return decodeURIComponent(window.location.hash);");
    const chips = async () => Promise.all((await t.session.all('[data-testid="filter-chip"]')).map((c) => c.property("textContent")));
    await t.session.navigate(from);
    const link = `[data-testid="table-job_role_mappings"] [data-testid="fk-system_role_id-${mapping.system_role_id}"]`;
    // the id reads as the role's name once the names are read
    await t.waitFor("the role's name in the mapping", async () => (await (await t.session.find(link)).text()) === role.role_name);

    const jump = async () => {
      await (await t.session.find(link)).click();
      await t.waitFor("the roles screen filtered to the role", async () => (await hash()) === `#/system_roles?f=id~eq~${role.id}`);
      const row = await t.session.find('[data-testid="table-system_roles"] [data-testid="row"]');
      assert.match(await row.property("textContent"), new RegExp(role.role_name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      assert.equal((await t.session.all('[data-testid="table-system_roles"] [data-testid="row"]')).length, 1);
      assert.ok((await chips()).some((c) => c.startsWith(`id = ${role.id}`)), (await chips()).join(" | "));
    };
    const returned = async () => {
      await t.waitFor("the mappings with their filter again", async () => (await hash()) === decodeURIComponent(from));
      await t.waitFor("the filter chip", async () => (await chips()).some((c) => c.startsWith(`job_code_id = ${mapping.job_code_id}`)));
      await t.session.find(link);
      await t.waitFor("no Back once returned", async () => (await t.session.all('[data-testid="back"]')).length === 0);
    };

    await jump();
    const back = await t.session.find('[data-testid="back"]');
    assert.equal(await back.text(), "← Back to Job-role mappings");
    await t.screenshot("linked-role");
    await back.click();
    await returned();

    // the same with the keyboard
    await jump();
    await t.session.execute("window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', altKey: true }));");
    await returned();
  },
});

scenarios.push({
  name: "an editor fixes one employee's compliance gap from the report at once, and Undo in the toast reverses it",
  operator: EDITOR,
  async run(t) {
    await t.session.navigate("#/compliance");
    await (await t.session.find('[data-testid="tab-report"]')).click();
    await t.session.find('[data-testid="compliance-report"] [data-testid="compliance-gap"]');
    // a missing role to assign, or else an extra one to remove
    const kind = await t.waitFor("a gap's fix for the employee", async () => {
      for (const k of ["gap-assign", "gap-unassign"]) {
        const buttons = await t.session.all(`[data-testid="compliance-gap"] [data-testid="${k}"]:not(:disabled)`);
        if (buttons.length) return k;
      }
      return null;
    });
    const assign = kind === "gap-assign";
    const fix = `[data-testid="compliance-gap"]:has([data-testid="${kind}"]) [data-testid="${kind}"]`;
    const [email, label] = await t.session.execute(
      `const row = [...document.querySelectorAll('[data-testid=compliance-gap]')].find((r) => r.querySelector(arguments[0]));
       return [row.querySelector('a').textContent, row.querySelector(arguments[0]).textContent];`,
      `[data-testid="${kind}"]`,
    );
    const role = label.replace(/^(Assign|Remove) /, "");
    const roleId = t.cli(["list", "system_roles", "--filter", `role_name=eq:${role}`]).rows[0].id;
    const holds = () =>
      t.cli(["list", "employee_role_assignments", "--filter", `employee_email=eq:${email}`, "--filter", `system_role_id=eq:${roleId}`]).rows.length === 1;
    assert.equal(holds(), !assign, `${email} and ${role} before the fix`);

    await (await t.session.find(fix)).click();
    // at once, for this employee only, and the toast offers Undo
    const undo = await t.session.find('[data-testid="toast-action"]');
    assert.equal(holds(), assign, `${email} ${assign ? "holds" : "no longer holds"} ${role}`);
    assert.equal((await t.session.all('[role="dialog"]')).length, 0, "no confirmation");
    const done = assign ? `${email} now holds ${role}` : `${email} no longer holds ${role}`;
    await t.waitFor("the toast", async () => (await toastTexts(t)).includes(done));
    await t.screenshot("compliance-gap-fixed");
    await undo.click();
    await t.waitFor("the fix to be undone", async () => holds() === !assign);
    const undone = assign ? `Undone: ${email} no longer holds ${role}` : `Undone: ${email} holds ${role} again`;
    await t.waitFor("the undone toast", async () => (await toastTexts(t)).includes(undone));
    // the report shows the gap again
    await t.waitFor("the gap back in the report", async () =>
      (await t.session.execute(
        `return [...document.querySelectorAll('[data-testid=compliance-gap]')].some((r) => r.querySelector('a').textContent === arguments[0] && r.textContent.includes(arguments[1]));`,
        email,
        label,
      )) === true);
  },
});

scenarios.push({
  name: "an admin reverts a recorded role change from the audit drawer, and the revert is itself recorded",
  operator: ADMIN,
  async run(t) {
    // a change made with this app: a user made editor (through the command the window uses)
    const email = `revert.${Date.now()}@whodis.example`;
    const created = t.cli(["user", "add", email, "--role", "viewer"], ADMIN);
    const changed = await invoke(t.session, "update_user", {
      req: { id: created.id, expected_updated_at: created.updated_at, role: "editor" },
    });
    assert.equal(changed.error, undefined, JSON.stringify(changed.error));
    const change = t.cli(["list", "audit_log", "--limit", "1"]).rows[0];
    assert.match(change.message, /role/i, `the newest audit row is the role change: ${change.message}`);

    await t.session.navigate(`#/audit?f=${encodeURIComponent(`id~eq~${change.id}`)}`);
    await (await t.session.find('[data-testid="table-audit_log"] [data-testid="row"] [role="cell"]')).click();
    const button = await t.session.find('[data-testid="revert-change-button"]');
    await t.waitFor("Revert to be offered", () => button.enabled());
    await button.click();
    // it asks first, naming the field and both values
    const dialog = await (await t.session.find('[role="dialog"]')).text();
    assert.match(dialog, /role/);
    assert.match(dialog, /editor/);
    assert.match(dialog, /viewer/);
    assert.equal(t.cli(["list", "users", "--filter", `email=eq:${email}`]).rows[0].role, "editor", "nothing before the confirmation");
    await t.screenshot("audit-revert-confirm");
    await (await t.session.find('[data-testid="confirm"]')).click();
    await t.waitFor("the toast", async () => (await toastTexts(t)).some((x) => x.startsWith(`Reverted audit row ${change.id}`)));
    assert.equal(t.cli(["list", "users", "--filter", `email=eq:${email}`]).rows[0].role, "viewer", "the role is back");
    const revert = t.cli(["list", "audit_log", "--limit", "1"]).rows[0];
    assert.equal(revert.additional_data?.reverts, change.id, "the revert's own audit row names the reverted one");
    // reverting the same change again is refused: the row no longer holds what it left
    const again = await invoke(t.session, "revert_change", { auditId: change.id });
    assert.equal(again.error?.kind, "conflict", JSON.stringify(again));
  },
});

scenarios.push({
  name: "a production connection is marked everywhere and asks for its name; read-only refuses writes in the backend",
  operator: ADMIN,
  async run(t) {
    // a profile of this very database, marked production: SQLite files come from the open
    // dialog only, a PostgreSQL server is typed (here through the command the form calls)
    const name = `Prod ${Date.now() % 100000}`;
    await t.session.navigate("#/connections");
    if (t.databaseUrl.startsWith("sqlite:")) {
      const path = t.databaseUrl.replace(/^sqlite:(\/\/)?/, "");
      await (await t.session.find('[data-testid="connection-add"]')).click();
      await (await t.session.find('[data-testid="connection-name"]')).type(name);
      await (await t.session.find('[data-testid="connection-browse"]')).click();
      await answerOpen("Choose a WhoDis SQLite database", path);
      await t.waitFor("the chosen path", async () =>
        (await (await t.session.find('[data-testid="connection-path"]')).property("value")) === path);
      await (await t.session.find('[data-testid="connection-operator"]')).type(ADMIN);
      await (await t.session.find('[data-testid="connection-production-mark"]')).click();
      await (await t.session.find('[data-testid="connection-save"]')).click();
    } else {
      const u = new URL(t.databaseUrl);
      const target = { kind: "postgres", host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: u.username, tls: "disable" };
      const saved = await invoke(t.session, "save_connection", { req: { name, target, operator: ADMIN, production: true } });
      assert.ok(saved.data?.id, JSON.stringify(saved));
      await t.session.reload();
    }
    await (await t.session.find(`[data-testid="connection-${name}"] [data-testid="connection-open"]`)).click();
    const band = await t.waitFor("the production band", async () => {
      const found = await t.session.all('[data-testid="production-band"]');
      return found.length ? found[0].text() : null;
    });
    assert.match(band, new RegExp(`^PRODUCTION — ${name}`));

    // a destructive action waits for the database's name typed
    await t.session.navigate("#/sessions");
    await (await t.session.find('[data-testid="cleanup-expired"]')).click();
    const confirm = await t.session.find('[data-testid="confirm"]');
    assert.equal(await confirm.enabled(), false, "Remove waits for the name");
    await (await t.session.find('[data-testid="confirm-typed"]')).type("not the name");
    assert.equal(await confirm.enabled(), false);
    await t.screenshot("production-typed-confirm");
    await (await t.session.find('[role="dialog"] button')).click(); // Cancel

    // marked read-only too: the backend refuses a write whoever asks
    const profiles = await invoke(t.session, "list_connections", {});
    const saved = profiles.data.find((e) => e.profile.name === name)?.profile;
    assert.ok(saved, JSON.stringify(profiles).slice(0, 300));
    const marked = await invoke(t.session, "save_connection", {
      req: { id: saved.id, name, target: saved.target, operator: ADMIN, production: true, colour: saved.colour, read_only: true },
    });
    assert.equal(marked.error, undefined, JSON.stringify(marked.error));
    const opened = await invoke(t.session, "open_connection", { id: saved.id });
    assert.equal(opened.error, undefined, JSON.stringify(opened.error));
    await t.session.reload();
    await t.waitFor("the read-only banner", async () => (await t.session.all('[data-testid="read-only-banner"]')).length === 1);
    const me = await userRow(t, ADMIN);
    const refused = await invoke(t.session, "update_user", { req: { id: me.id, expected_updated_at: me.updated_at, role: "admin" } });
    assert.equal(refused.error?.kind, "read_only", JSON.stringify(refused));
    assert.equal((await userRow(t, ADMIN)).updated_at, me.updated_at, "nothing was written");
    await t.screenshot("production-read-only");
  },
});

/** Runs SQL on the scenario's database with its own command-line tool, as someone with only
 *  database access would. */
function byHand(t, sql) {
  const url = t.databaseUrl;
  if (url.startsWith("sqlite:")) {
    execFileSync("sqlite3", ["-cmd", ".timeout 5000", url.replace(/^sqlite:(\/\/)?/, ""), sql]);
  } else {
    execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qc", sql]);
  }
}

// Last: once the chain has begun, every later change on this database needs its key.
scenarios.push({
  name: "an admin starts the audit chain, verifies it intact, and Verify names a row edited by hand",
  operator: ADMIN,
  async run(t) {
    await t.session.navigate("#/audit");
    await (await t.session.find('[data-testid="verify-chain"]')).click();
    await t.session.find('[data-testid="verify-chain-dialog"]');
    const notStarted = await t.waitFor("the chain's status", async () => {
      if ((await t.session.all('[data-testid="chain-not-started"]')).length) return "no";
      return (await (await t.session.find('[data-testid="run-verify"]')).enabled()) ? "yes" : null;
    });
    if (notStarted === "no") await (await t.session.find('[data-testid="start-chain"]')).click();
    await t.waitFor("Verify to be offered", async () => (await (await t.session.find('[data-testid="run-verify"]')).enabled()));

    // a change made beside the window, by the CLI on the same keyring, is sealed too
    const email = `chained.${Date.now()}@whodis.example`;
    t.cli(["user", "add", email, "--role", "viewer"], ADMIN);
    const written = t.cli(["list", "audit_log", "--limit", "1"]).rows[0];
    assert.ok(written.additional_data?.chain?.seq >= 2, `the CLI's row is chained: ${JSON.stringify(written.additional_data)}`);

    const summary = async () => (await t.session.all('[data-testid="verify-summary"]')).length
      ? await (await t.session.find('[data-testid="verify-summary"]')).text()
      : "";
    const verify = async (expect) => {
      await (await t.session.find('[data-testid="run-verify"]')).click();
      return t.waitFor(`the report (${expect})`, async () => (expect.test(await summary()) ? summary() : null), 60000);
    };
    assert.match(await verify(/^Intact/), /^Intact: \d+ chained rows?, [\d,]+ outside the chain/);
    await t.screenshot("audit-chain-intact");

    // someone with database access but not the key edits the row: Verify names it
    const original = written.message;
    byHand(t, `UPDATE audit_log SET message = 'Nothing happened' WHERE id = ${written.id}`);
    const broken = await verify(/^Broken/);
    assert.match(broken, new RegExp(`^Broken at row #${written.id} \\(altered\\)`));
    const problems = await (await t.session.find('[data-testid="verify-problems"]')).text();
    assert.match(problems, new RegExp(`Altered row #${written.id}: its content no longer matches`));
    await t.screenshot("audit-chain-broken");
    byHand(t, `UPDATE audit_log SET message = '${original.replace(/'/g, "''")}' WHERE id = ${written.id}`);
    assert.match(await verify(/^Intact/), /^Intact/, "put back, the chain verifies again");
  },
});

scenarios.push({
  name: "explorer: ReViewPoint's database (made by its own ORM) from a user to their files, and its expired tokens",
  operator: ADMIN,
  database: "sibling:reviewpoint",
  async run(t) {
    const facts = t.sibling.made.facts;
    // not a WhoDis database: the header says so, and only the explorer's screens are offered
    assert.match(await (await t.session.find('[data-testid="explorer-banner"]')).text(), /Not a WhoDis database/);
    assert.equal((await t.session.all('[data-testid="nav-users"]')).length, 0, "no WhoDis screens");
    assert.ok((await t.session.all('[data-testid="explorer-tables"]')).length > 0, "it opens on Tables");
    await t.session.navigate("#/tables");
    const files = await t.session.find('[data-testid="explorer-table-files"]');
    assert.match(await files.text(), /→ users/);
    const users = await (await t.session.find('[data-testid="explorer-table-users"]')).text();
    assert.match(users, /← files/);
    assert.match(users, /secrets masked/);
    await t.screenshot("explorer-tables");

    // a user's row, then through its drawer to the files that point at it
    const owner = facts.user_id_with_files;
    await t.session.navigate(`#/table/users?f=id~eq~${owner}`);
    const row = `[data-testid="table-users"] [data-testid="row"][style*="translateY(0px)"] [role="cell"]`;
    await t.waitFor("the user's row", async () => (await t.session.all(row)).length > 0);
    const shown = await t.session.execute("return document.querySelector('[data-testid=\"table-users\"]').innerText;");
    assert.ok(!/\$2b\$/.test(shown), "no password hash is shown");
    await (await t.session.find(row)).click();
    // the password hash is masked until asked for, and then shown in the drawer only
    await (await t.session.find('[data-testid="reveal-hashed_password"]')).click();
    assert.match(await (await t.session.find('[data-testid="revealed-hashed_password"]')).text(), /^\$2b\$/);
    const link = await t.session.find('[data-testid="explorer-children"] a');
    assert.equal(await link.text(), `files where user_id = ${owner}`);
    await link.click();
    await t.waitFor("the user's files", async () =>
      new RegExp(`^${facts.files_of_that_user} rows?`).test(await (await t.session.find('[data-testid="table-files"] [data-testid="total"]')).text()));
    await t.screenshot("explorer-user-files");

    // one of those files renamed in its drawer: a bad size is refused by name first, nothing saved
    const fileRow = `[data-testid="table-files"] [data-testid="row"][style*="translateY(0px)"] [role="cell"]`;
    await t.waitFor("the first file", async () => (await t.session.all(fileRow)).length > 0);
    await (await t.session.find(fileRow)).click();
    await (await t.session.find('[data-testid="row-edit"]')).click();
    const size = await t.session.find('[data-testid="row-editor"] [data-testid="edit-size"]');
    await size.type("big");
    assert.match(await (await t.session.find('[data-testid="row-editor"] [role="alert"]')).text(), /size: a whole number/);
    assert.equal(await (await t.session.find('[data-testid="row-save"]')).enabled(), false, "Save waits for a valid size");
    await (await t.session.find('[data-testid="row-discard"]')).click();
    await (await t.session.find('[data-testid="row-edit"]')).click();
    const filename = await t.session.find('[data-testid="row-editor"] [data-testid="edit-filename"]');
    await filename.type("renamed-by-admin.pdf");
    await t.screenshot("explorer-edit-row");
    await (await t.session.find('[data-testid="row-save"]')).click();
    await t.waitFor("the rename to be saved", async () =>
      t.cli(["list", "files", "--filter", "filename=eq:renamed-by-admin.pdf", "--limit", "1"]).total.value === 1);

    // expired blacklisted tokens, found by their expiry; the token ids (jti) never shown
    await t.session.navigate("#/table/blacklisted_tokens?f=expires_at~lt~2026-12-01");
    await t.waitFor("the expired tokens", async () =>
      new RegExp(`^${facts.expired_blacklisted_tokens} rows?`).test(
        await (await t.session.find('[data-testid="table-blacklisted_tokens"] [data-testid="total"]')).text(),
      ));
    const heads = await t.session.execute(
      "return [...document.querySelectorAll('[data-testid=\"table-blacklisted_tokens\"] [role=columnheader]')].map((h) => h.textContent);",
    );
    assert.ok(!heads.some((h) => /jti/.test(h)), `jti is not a column here: ${heads}`);

    // "Remove expired…" counts first, removes only when confirmed, and leaves the valid tokens
    await t.session.navigate("#/table/blacklisted_tokens");
    const total = async () => (await (await t.session.find('[data-testid="table-blacklisted_tokens"] [data-testid="total"]')).text());
    const all = facts.expired_blacklisted_tokens + facts.valid_blacklisted_tokens;
    await t.waitFor("every token", async () => new RegExp(`^${all} rows?`).test(await total()));
    await (await t.session.find('[data-testid="remove-expired"]')).click();
    await t.waitFor("the expired count", async () =>
      new RegExp(`^${facts.expired_blacklisted_tokens} rows of blacklisted_tokens`).test(await (await t.session.find('[data-testid="remove-expired-preview"]')).text()));
    assert.deepEqual(t.cli(["cleanup-expired", "--table", "blacklisted_tokens", "--dry-run"]).expired, {
      blacklisted_tokens: facts.expired_blacklisted_tokens,
    }, "nothing removed before the confirmation");
    await t.screenshot("explorer-remove-expired");
    await (await t.session.find('[role="dialog"] [data-testid="confirm"]')).click();
    assert.equal(
      await (await t.session.find('[data-testid="remove-expired-result"]')).text(),
      `Removed ${facts.expired_blacklisted_tokens} expired rows from blacklisted_tokens`,
    );
    await t.waitFor("only the valid tokens", async () =>
      new RegExp(`^${facts.valid_blacklisted_tokens} rows?`).test(await total()));
    assert.deepEqual(t.cli(["cleanup-expired", "--table", "blacklisted_tokens", "--dry-run"]).expired, { blacklisted_tokens: 0 });

    // a token blacklisted by hand: New row…, its jti typed into a masked box, an expiry that
    // does not parse refused by name, then inserted (id numbered, timestamps set)
    await (await t.session.find('[data-testid="new-row"]')).click();
    const form = '[data-testid="new-row-form"]';
    await (await t.session.find(`${form} [data-testid="edit-jti"]`)).type("e2e-blacklisted-jti");
    assert.equal(await (await t.session.find(`${form} [data-testid="edit-jti"]`)).attribute("type"), "password");
    await (await t.session.find(`${form} [data-testid="edit-expires_at"]`)).type("someday");
    assert.match(await (await t.session.find(`${form} [role="alert"]`)).text(), /expires_at: a time/);
    await (await t.session.find(`${form} [data-testid="edit-expires_at"]`)).type("2099-06-01T00:00:00Z");
    await t.screenshot("explorer-new-row");
    await (await t.session.find('[data-testid="new-row-insert"]')).click();
    await t.waitFor("the new token", async () =>
      new RegExp(`^${facts.valid_blacklisted_tokens + 1} rows?`).test(await total()));
    assert.equal(t.cli(["list", "blacklisted_tokens", "--filter", "expires_at=gte:2099-06-01", "--limit", "1"]).total.value, 1);
  },
});

scenarios.push({
  name: "explorer: a table added by hand while the app is open, its bytes shown by size, an image cell as a picture and a hex dump",
  operator: ADMIN,
  database: "sibling:points",
  async run(t) {
    const hex = (bytes) => Buffer.from(bytes).toString("hex");
    const literal = (bytes) => (t.databaseUrl.startsWith("sqlite:") ? `X'${hex(bytes)}'` : `'\\x${hex(bytes)}'::bytea`);
    const key = t.databaseUrl.startsWith("sqlite:") ? "INTEGER PRIMARY KEY" : "SERIAL PRIMARY KEY";
    const blob = t.databaseUrl.startsWith("sqlite:") ? "BLOB" : "BYTEA";
    byHand(t, "DROP TABLE IF EXISTS scans");
    byHand(t, `CREATE TABLE scans (id ${key}, label TEXT NOT NULL, content ${blob}, api_secret ${blob})`);
    byHand(
      t,
      `INSERT INTO scans (label, content, api_secret) VALUES ('badge photo', ${literal(SMALL_PNG)}, ${literal(Buffer.from("k3y-e2e"))}), ` +
        `('contract', ${literal(Buffer.from("%PDF-1.7 signed contract"))}, NULL)`,
    );
    await t.session.navigate("#/tables");
    await (await t.session.find('[data-testid="explorer-reread"]')).click();
    await t.session.find('[data-testid="explorer-table-scans"]');

    await t.session.navigate("#/table/scans?sort=id");
    const first = `[data-testid="table-scans"] [data-testid="row"][style*="translateY(0px)"]`;
    await t.waitFor("the scans", async () => (await t.session.all(`${first} [role="cell"]`)).length > 0);
    const heads = await t.session.execute(
      "return [...document.querySelectorAll('[data-testid=\"table-scans\"] [role=columnheader]')].map((h) => h.textContent);",
    );
    assert.ok(heads.some((h) => /content/.test(h)), `the bytes column is listed: ${heads}`);
    assert.ok(!heads.some((h) => /api_secret/.test(h)), `the secret is not: ${heads}`);
    const rowText = () => t.session.execute(`return document.querySelector('${first}').innerText;`);
    assert.match(await rowText(), new RegExp(`${SMALL_PNG.length} B`));
    await (await t.session.find(`${first} [role="cell"]`)).click();
    const shown = () =>
      t.session.execute("const i = document.querySelector('[data-testid=bytes-image-content]'); return i && i.complete ? i.naturalWidth : 0;");
    assert.ok((await t.waitFor("the image from the cell", shown)) > 0);
    assert.match(await (await t.session.find('[data-testid="bytes-content"]')).text(), /image\/png/);
    assert.match(await (await t.session.find('[data-testid="hex-content"]')).text(), /^00000000 {2}89 50 4e 47 0d 0a 1a 0a/);
    t.noLeak("k3y-e2e");

    // the other row's bytes are no image: a hex dump, and no picture asked for
    await t.session.navigate("#/table/scans?sort=-id");
    await t.waitFor("the contract", async () => /contract/.test(await rowText()));
    await (await t.session.find(`${first} [role="cell"]`)).click();
    assert.match(await (await t.session.find('[data-testid="bytes-content"]')).text(), /not an image/);
    assert.match(await (await t.session.find('[data-testid="hex-content"]')).text(), /%PDF-1\.7 signed/);
    assert.equal((await t.session.all('[data-testid="bytes-image-content"]')).length, 0);
  },
});

scenarios.push({
  name: "explorer: the LLM platform's usage logs of a department reached from a user through its foreign key",
  operator: ADMIN,
  database: "sibling:llm",
  async run(t) {
    const facts = t.sibling.made.facts;
    const department = facts.user_department_id;
    await t.session.navigate(`#/table/users?f=id~eq~${facts.user_id}`);
    // the user's department_id cell links to the department's row
    const link = `[data-testid="table-users"] [data-testid="row"] a[href*="table/departments"]`;
    await t.waitFor("the department link", async () => (await t.session.all(link)).length > 0);
    assert.equal(await (await t.session.find(link)).text(), `${department} →`);
    await (await t.session.find(link)).click();
    const row = `[data-testid="table-departments"] [data-testid="row"][style*="translateY(0px)"] [role="cell"]`;
    await t.waitFor("the department's row", async () => (await t.session.all(row)).length > 0);
    await (await t.session.find(row)).click();
    // its drawer lists each table that points at it; the usage logs are one of them
    const children = await t.session.all('[data-testid="explorer-children"] a');
    let logs = null;
    for (const a of children) if ((await a.text()) === `usage_logs where department_id = ${department}`) logs = a;
    assert.ok(logs, "the drawer links to the department's usage logs");
    await logs.click();
    const expected = t.cli(["list", "usage_logs", "--filter", `department_id=eq:${department}`, "--limit", "1"]).total.value;
    assert.ok(expected > 0);
    await t.waitFor("the department's usage logs", async () =>
      new RegExp(`^${expected} rows?`).test(await (await t.session.find('[data-testid="table-usage_logs"] [data-testid="total"]')).text()));
    await t.screenshot("explorer-llm-usage-logs");
    // Back returns along the links: to the department, then to the user
    await t.session.execute("window.history.back();");
    await t.waitFor("back at the department", async () => (await t.session.all('[data-testid="table-departments"]')).length > 0);

    // a user_email value is a quick filter: one click narrows the logs to that user's
    await t.session.navigate(`#/table/usage_logs?f=department_id~eq~${department}`);
    const emailCell = '[data-testid="table-usage_logs"] [data-testid="row"][style*="translateY(0px)"] button.link-button[title^="Show only rows where user_email"]';
    const email = await (await t.session.find(emailCell)).text();
    await (await t.session.find(emailCell)).click();
    const narrowed = t.cli([
      "list", "usage_logs", "--filter", `department_id=eq:${department}`, "--filter", `user_email=eq:${email}`, "--limit", "1",
    ]).total.value;
    assert.ok(narrowed > 0 && narrowed <= expected);
    await t.waitFor("the user's usage logs", async () =>
      new RegExp(`^${narrowed} rows?`).test(await (await t.session.find('[data-testid="table-usage_logs"] [data-testid="total"]')).text()));
  },
});
