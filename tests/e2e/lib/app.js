// Launching the real Canary app through tauri-driver, plus the small helpers
// every flow needs: test-id selectors, typing, <select> choice, screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, waitForDriver } from './webdriver.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const DRIVER_URL = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
export const APP_BINARY = process.env.E2E_APP ?? path.join(repoRoot, 'target/debug/canary-app');
export const CLI_BINARY = process.env.E2E_CLI ?? path.join(repoRoot, 'target/debug/canary');
export const SHOT_DIR = process.env.E2E_SHOT_DIR ?? path.join(repoRoot, 'target/e2e');

/** `[data-testid="id"]` followed by an optional extra selector part. */
export const tid = (id, extra = '') => `[data-testid="${id}"]${extra}`;

/** A fresh directory for one test's workbook, evidence and reports. */
export function freshDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `canary-e2e-${prefix}-`));
}

/**
 * Starts the app on `workbook` and returns the session with `launchedAt`
 * (ms, performance clock, taken just before the new-session request).
 */
export async function launch(workbook) {
  if (!fs.existsSync(APP_BINARY)) throw new Error(`app binary not built: ${APP_BINARY}`);
  await waitForDriver(DRIVER_URL);
  const launchedAt = performance.now();
  const session = await Session.create(DRIVER_URL, {
    'tauri:options': { application: APP_BINARY, args: ['--workbook', workbook] },
  });
  session.launchedAt = launchedAt;
  return session;
}

let shotNo = 0;
// Each test file runs in its own process: its name keeps the numbering apart.
const shotPrefix = path.basename(process.argv[1] ?? 'e2e').replace(/\.test\.js$/, '');

/** Saves a PNG of the window under target/e2e/ and returns its path. */
export async function screenshot(session, name) {
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  shotNo += 1;
  // Let the webview paint what the DOM already shows before grabbing it.
  await session.executeAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));');
  const file = path.join(SHOT_DIR, `${shotPrefix}-${String(shotNo).padStart(2, '0')}-${name}.png`);
  // WebKitGTK's WebDriver sends the screenshot after the view's next paint, and
  // without GPU compositing (the app's default) an idle page never paints: an
  // invisible outline toggles until the screenshot is back.
  await session.execute(`window.__shotRepaint = setInterval(() => {
    const s = document.body.style;
    s.outline = s.outline ? '' : '1px solid transparent';
  }, 100);`);
  let png;
  try {
    png = await session.screenshotPng();
  } finally {
    await session.execute("clearInterval(window.__shotRepaint); document.body.style.outline = '';");
  }
  if (png.subarray(1, 4).toString() !== 'PNG') throw new Error(`screenshot ${name} is not a PNG`);
  fs.writeFileSync(file, png);
  return file;
}

/** Clears a text field and types `text` into it with real key events. */
export async function typeInto(session, css, text) {
  const el = await session.waitForCss(css);
  await el.clear();
  if (text !== '') await el.sendKeys(text);
  return el;
}

/** Picks an option of a <select> by clicking it, and checks the select took the value. */
export async function choose(session, selectCss, value) {
  const select = await session.waitForCss(selectCss);
  // Clicking the option alone selects it (WebDriver's rule for <option>); a
  // click on the <select> first would leave GTK's popup menu open.
  const [option] = await select.findAll(`option[value="${value}"]`);
  if (!option) throw new Error(`${selectCss} has no option ${value}`);
  await option.click();
  await session.waitFor(`${selectCss} = ${value}`, async () => (await select.property('value')) === value, 5_000);
  return select;
}

/** Clicks the element matching css once it is displayed and enabled. */
export async function clickWhenReady(session, css, timeoutMs) {
  const el = await session.waitFor(`${css} enabled`, async () => {
    for (const e of await session.findAll(css)) if ((await e.displayed()) && (await e.enabled())) return e;
    return null;
  }, timeoutMs);
  await el.click();
  return el;
}

/**
 * Waits for the text of a displayed `css` to satisfy `pred`, and returns it.
 * Reads the DOM text: WebKitWebDriver leaves ellipsised spans out of an
 * element's rendered text although they are on screen.
 */
export async function waitText(session, css, pred, what, timeoutMs) {
  let seen;
  try {
    return await session.waitFor(what ?? `text of ${css}`, async () => {
      for (const el of await session.findAll(css)) {
        if (!(await el.displayed())) continue;
        seen = (await el.property('textContent')).replace(/\s+/g, ' ').trim();
        if (pred(seen)) return seen;
      }
      return null;
    }, timeoutMs);
  } catch (e) {
    e.message += ` (last text: ${JSON.stringify(seen)})`;
    throw e;
  }
}

/**
 * The DOM text of the first `css`, displayed or not: WebKitWebDriver calls some
 * visibly rendered elements (ellipsised spans in a flex column) not displayed.
 */
export async function domText(session, css, timeoutMs) {
  const el = await session.waitFor(`element ${css}`, async () => (await session.findAll(css))[0], timeoutMs);
  return (await el.property('textContent')).trim();
}

/** Waits until `data-<attr>` of the first `css` equals `value`. */
export function waitAttr(session, css, attr, value, timeoutMs) {
  return session.waitFor(`${css} ${attr}=${value}`, async () => {
    const [el] = await session.findAll(css);
    return el && (await el.attribute(attr)) === value ? el : null;
  }, timeoutMs);
}
