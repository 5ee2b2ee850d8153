// Minimal W3C WebDriver client over Node's built-in fetch: only the commands
// the e2e flows use, so the suite needs no npm dependencies.
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> HTTP ${status}: ${value?.error ?? '?'}: ${value?.message ?? JSON.stringify(value)}`);
    this.code = value?.error;
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(method, path, res.status, { error: 'bad json', message: text.slice(0, 300) });
  }
  if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}

/** Waits until the driver's /status answers, so a freshly spawned driver can be used. */
export async function waitForDriver(base, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      return await call(base, 'GET', '/status');
    } catch (e) {
      last = e;
      await sleep(200);
    }
  }
  throw new Error(`WebDriver at ${base} not reachable after ${timeoutMs} ms: ${last?.message}`);
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, alwaysMatch) {
    const value = await call(base, 'POST', '/session', { capabilities: { alwaysMatch } });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    await this.cmd('DELETE', '');
  }

  title() {
    return this.cmd('GET', '/title');
  }

  /** Runs a synchronous script in the page; `args` may include Elements. */
  execute(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args: args.map(wire) });
  }

  /** Runs an async script; the page calls `arguments[arguments.length-1](value)`. */
  executeAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args: args.map(wire) });
  }

  async screenshotPng() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  async findAll(css) {
    const els = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return els.map((e) => new Element(this, e[ELEMENT_KEY]));
  }

  async find(css) {
    const e = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, e[ELEMENT_KEY]);
  }

  /** Polls `probe` until it returns a truthy value, retrying on stale/missing elements. */
  async waitFor(what, probe, timeoutMs = 15_000) {
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await probe();
        if (v) return v;
      } catch (e) {
        if (!['no such element', 'stale element reference', 'javascript error'].includes(e.code)) throw e;
        last = e;
      }
      if (Date.now() > end) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
      }
      await sleep(100);
    }
  }

  /** Waits for the first displayed element matching css. */
  waitForCss(css, timeoutMs) {
    return this.waitFor(`element ${css}`, async () => {
      for (const el of await this.findAll(css)) if (await el.displayed()) return el;
      return null;
    }, timeoutMs);
  }
}

function wire(a) {
  return a instanceof Element ? { [ELEMENT_KEY]: a.id } : a;
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.cmd('POST', '/click', {});
  }

  clear() {
    return this.cmd('POST', '/clear', {});
  }

  sendKeys(text) {
    return this.cmd('POST', '/value', { text });
  }

  text() {
    return this.cmd('GET', '/text');
  }

  property(name) {
    return this.cmd('GET', `/property/${encodeURIComponent(name)}`);
  }

  attribute(name) {
    return this.cmd('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  displayed() {
    return this.cmd('GET', '/displayed');
  }

  enabled() {
    return this.cmd('GET', '/enabled');
  }

  async findAll(css) {
    const els = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return els.map((e) => new Element(this.session, e[ELEMENT_KEY]));
  }
}
