// A minimal W3C WebDriver client over Node's fetch: enough to drive the real app window through
// tauri-driver without pulling a test framework into the repository.

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

/** No WebDriver command takes this long: one that does has hung, and says which it was. */
const COMMAND_MS = 60000;

export class NoAnswer extends Error {}

async function call(base, method, path, body, timeoutMs = COMMAND_MS) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((e) => {
    const what = `${method} ${path}${body === undefined ? "" : ` ${JSON.stringify(body).slice(0, 200)}`}`;
    if (e.name === "TimeoutError") throw new NoAnswer(`${what}: no answer in ${timeoutMs / 1000} s`);
    throw new WebDriverError(`${what}: ${e.message}`);
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ""}`);
  }
  return json.value;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new WebDriverError(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function waitForDriver(base, timeoutMs = 20000) {
  await waitFor("tauri-driver", async () => {
    const res = await fetch(`${base}/status`);
    return res.ok;
  }, timeoutMs);
}

export class Session {
  static async start(base, application, args) {
    const value = await call(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: { "tauri:options": { application, args } },
      },
    });
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.path = `/session/${id}`;
  }

  cmd(method, path, body, timeoutMs) {
    return call(this.base, method, this.path + path, body, timeoutMs);
  }

  async end() {
    await this.cmd("DELETE", "").catch(() => {});
  }

  /** Runs `body` (a function body string) in the page; `arguments` are passed as given. */
  execute(body, ...args) {
    return this.cmd("POST", "/execute/sync", { script: body, args });
  }

  executeAsync(body, ...args) {
    return this.cmd("POST", "/execute/async", { script: body, args });
  }

  async navigate(hash) {
    await this.execute("window.location.hash = arguments[0];", hash);
    await waitFor(`the route ${hash}`, async () =>
      (await this.execute("return window.location.hash;")) === hash);
  }

  async reload() {
    await this.cmd("POST", "/refresh", {});
  }

  async all(css) {
    const found = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return found.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Waits until `css` matches at least one element and returns the first. */
  async find(css, timeoutMs) {
    const [first] = await waitFor(css, async () => {
      const found = await this.all(css);
      return found.length ? found : null;
    }, timeoutMs);
    return first;
  }

  /** WebKitGTK's driver sometimes never answers a screenshot of a page that overflows the
   *  window (seen on the Schema and Compliance screens, Xvfb, no compositing): bounded. */
  async screenshot(timeoutMs = 15000) {
    return Buffer.from(await this.cmd("GET", "/screenshot", undefined, timeoutMs), "base64");
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.path = `/element/${id}`;
    this.ref = { [ELEMENT]: id };
  }

  cmd(method, path, body) {
    return this.session.cmd(method, this.path + path, body);
  }

  click() {
    return this.cmd("POST", "/click", {});
  }

  text() {
    return this.cmd("GET", "/text");
  }

  attribute(name) {
    return this.cmd("GET", `/attribute/${name}`);
  }

  property(name) {
    return this.cmd("GET", `/property/${name}`);
  }

  enabled() {
    return this.cmd("GET", "/enabled");
  }

  async type(text) {
    await this.cmd("POST", "/clear", {});
    await this.cmd("POST", "/value", { text });
  }
}
