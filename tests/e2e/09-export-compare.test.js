// "Compare with previous" and "Export…" on the example product: a cloned
// assessment with one changed answer compares as exactly that change (and the
// CLI's diff agrees); the product and the portfolio export as XLSX by typed
// path, and an existing file is replaced only after the person confirms.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, choose, clickWhenReady, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

const REQ = 'uk-cop-2018:6'; // partially met in the example; changed to met in the clone

/** An XLSX is a zip whose directory names the workbook part. */
function assertXlsx(file) {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', `${file} is a zip`);
  assert.ok(bytes.includes('xl/workbook.xml'), `${file} holds xl/workbook.xml`);
  assert.ok(bytes.includes('xl/worksheets/sheet2.xml'), `${file} has a product sheet`);
}

test('compare a cloned assessment and export spreadsheets', async (t) => {
  const dir = freshDir('export');
  const workbook = path.join(dir, 'export.canary');
  const cli = (...args) => execFileSync(CLI_BINARY, ['--workbook', workbook, ...args], { encoding: 'utf8' });
  cli('init');
  cli('import', '--example', '--as', 'Ada Importer');

  const session = await launch(workbook);
  t.after(() => session.delete().catch(() => {}));
  let broken = false;
  const step = (name, fn) => t.test(name, async (st) => {
    if (broken) return st.skip('an earlier step failed');
    try {
      await fn(st);
    } catch (e) {
      broken = true;
      await screenshot(session, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw e;
    }
  });

  async function openCompare(state) {
    await clickWhenReady(session, tid('compare-open'));
    await waitAttr(session, tid('compare'), 'data-state', state, 15_000);
  }
  async function closeCompare() {
    await clickWhenReady(session, tid('compare-close'));
    await session.waitFor('the compare panel to close', async () => (await session.findAll(tid('compare'))).length === 0);
  }

  await step('one assessment: nothing to compare with', async () => {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"] ${tid('product-row')}`, 30_000);
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, tid('screen'), 'data-screen', 'product');
    await openCompare('none');
    await session.waitForCss(tid('compare-none'));
    await closeCompare();
  });

  await step('a fresh clone: nothing changed', async () => {
    await clickWhenReady(session, tid('assessment-submit'));
    await waitText(session, `${tid('screen')} ${tid('assessment-state')}`, (s) => /submitted/i.test(s), 'state Submitted');
    await typeInto(session, tid('assessment-clone-label'), 'Firmware 1.5');
    await clickWhenReady(session, tid('assessment-clone'));
    await waitText(session, `${tid('assessment-select')} option:checked`, (s) => s === 'Firmware 1.5', 'the clone shown');
    await waitText(session, `${tid('screen')} ${tid('assessment-state')}`, (s) => /draft/i.test(s), 'state Draft');
    await openCompare('empty');
    await waitText(session, tid('compare-summary'), (s) => s.includes('nothing changed'), 'the empty summary');
    await screenshot(session, 'compare-empty');
  });

  await step('one changed answer shows in the open comparison as exactly that change', async () => {
    await clickWhenReady(session, `${tid('guideline-item')}[data-requirement="${REQ}"]`);
    const select = await session.waitForCss(tid('status-select'));
    await session.waitFor(`${REQ} shown as partially met`, async () => (await select.property('value')) === 'partially_met');
    await choose(session, tid('status-select'), 'met');
    await waitAttr(session, tid('save-state'), 'data-state', 'saved');
    await waitAttr(session, `${tid('guideline-item')}[data-requirement="${REQ}"]`, 'data-status', 'met');
    // The panel stayed open: it compares again once the answer is saved.
    await waitAttr(session, tid('compare'), 'data-state', 'changes', 15_000);
    const changes = await session.findAll(tid('compare-change'));
    assert.deepEqual(await Promise.all(changes.map((c) => c.attribute('data-requirement'))), [REQ]);
    const lines = await changes[0].findAll(tid('compare-line'));
    assert.deepEqual(await Promise.all(lines.map((l) => l.attribute('data-kind'))), ['status']);
    const text = (await lines[0].property('textContent')).replace(/\s+/g, ' ');
    assert.match(text, /Partially met → Met/);
    await waitText(session, tid('compare-summary'), (s) => /Firmware 1\.4\.2 → Firmware 1\.5: 1 requirement changed/.test(s), 'the summary');
    await screenshot(session, 'compare-one-change');
    // The CLI reads the same difference out of the workbook file.
    const diff = JSON.parse(cli('--json', 'diff', '--product', 'SP-200'));
    assert.deepEqual(diff.changes.map((c) => [c.requirement, c.status]), [[REQ, { from: 'partially_met', to: 'met' }]]);
  });

  const xlsx = path.join(dir, 'sp-200.xlsx');
  await step('export the product as XLSX by typed path', async () => {
    await clickWhenReady(session, tid('export-open'));
    await session.waitForCss(tid('export-dialog'));
    const formats = await session.findAll(tid('export-format'));
    assert.deepEqual(await Promise.all(formats.map((f) => f.attribute('data-format'))), ['xlsx', 'csv', 'oscal', 'product_file']);
    await clickWhenReady(session, `${tid('export-format')}[data-format="xlsx"]`);
    await typeInto(session, tid('export-path'), xlsx);
    await screenshot(session, 'export-dialog');
    await clickWhenReady(session, tid('export-run'));
    await waitAttr(session, tid('export-done'), 'data-path', xlsx, 30_000);
    assertXlsx(xlsx);
    await screenshot(session, 'export-done');
  });

  await step('an existing file is kept unless the person confirms', async () => {
    fs.writeFileSync(xlsx, 'not yet a spreadsheet');
    await clickWhenReady(session, tid('export-run'));
    await session.waitForCss(tid('export-confirm'), 15_000);
    await screenshot(session, 'export-confirm');
    await clickWhenReady(session, tid('export-keep'));
    await session.waitFor('the confirmation to go', async () => (await session.findAll(tid('export-confirm'))).length === 0);
    assert.equal(fs.readFileSync(xlsx, 'utf8'), 'not yet a spreadsheet', 'kept');
    await clickWhenReady(session, tid('export-run'));
    await clickWhenReady(session, tid('export-replace'), 15_000);
    await waitAttr(session, tid('export-done'), 'data-path', xlsx, 30_000);
    assertXlsx(xlsx);
    await clickWhenReady(session, tid('export-close'));
    await session.waitFor('the dialog to close', async () => (await session.findAll(tid('export-dialog'))).length === 0);
  });

  await step('export the portfolio from the dashboard', async () => {
    const portfolio = path.join(dir, 'portfolio.xlsx');
    await clickWhenReady(session, tid('nav-dashboard'));
    await waitAttr(session, tid('screen'), 'data-screen', 'dashboard');
    await clickWhenReady(session, tid('export-open'));
    await session.waitForCss(tid('export-dialog'));
    const formats = await session.findAll(tid('export-format'));
    assert.equal(formats.length, 1, 'the portfolio exports as a spreadsheet only');
    await typeInto(session, tid('export-path'), portfolio);
    await clickWhenReady(session, tid('export-run'));
    await waitAttr(session, tid('export-done'), 'data-path', portfolio, 30_000);
    assertXlsx(portfolio);
    await screenshot(session, 'export-portfolio');
    assert.deepEqual(await session.findAll(tid('error')), [], 'no error shown');
  });
});
