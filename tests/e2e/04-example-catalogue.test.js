// First run without a profile: the bundled example product imports under the
// computer login, the catalogue search leads from a CoP requirement to its ETSI
// mapping, and the mapping report renders for the example.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, clickWhenReady, domText, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

const ETSI = 'etsi-en-303-645-v2.1.1:5.1-1';

test('example product, catalogue search and mappings, mapping report', async (t) => {
  const dir = freshDir('example');
  const workbook = path.join(dir, 'example.canary');
  const report = path.join(dir, 'mapping.pdf');
  // Who a person is lives in their config directory, which the whole run shares:
  // an earlier test's profile would make them the actor here. This test starts
  // as someone who never set one.
  fs.rmSync(path.join(process.env.XDG_CONFIG_HOME ?? dir, 'canary', 'person.json'), { force: true });
  const session = await launch(workbook);
  t.after(() => session.delete());

  await t.test('import the example product without a profile', async () => {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"] ${tid('empty-state')}`, 30_000);
    await clickWhenReady(session, tid('import-example'));
    const row = await waitText(session, tid('product-row'), (s) => s.length > 0, 'the example product row');
    assert.equal((await session.findAll(tid('product-row'))).length, 1);
    assert.equal((await session.findAll(`${tid('product-row')} ${tid('canary-badge')}`)).length, 3, `row: ${row}`);
    assert.equal((await session.findAll(tid('error'))).length, 0, 'no error shown');
    await screenshot(session, 'dashboard-example');
    // Changes made before a profile exists are recorded under the computer login.
    const log = JSON.parse(execFileSync(CLI_BINARY, ['--workbook', workbook, '--json', 'log'], { encoding: 'utf8' }));
    const actors = new Set(log.map((e) => e.actor));
    assert.ok(process.env.USER && actors.has(process.env.USER), `actors ${[...actors]} include the login ${process.env.USER}`);
  });

  await t.test('catalogue search finds a CoP requirement and follows a mapping to ETSI', async () => {
    await clickWhenReady(session, tid('nav-catalogue'));
    await waitAttr(session, tid('screen'), 'data-screen', 'catalogue');
    await typeInto(session, tid('catalogue-search'), 'universal factory default');
    await clickWhenReady(session, `${tid('catalogue-result')}[data-requirement="uk-cop-2018:1"]`);
    await waitText(session, tid('catalogue-requirement'), (s) => s.includes('No default passwords'), 'the CoP requirement');
    await screenshot(session, 'catalogue-requirement');
    await clickWhenReady(session, `${tid('mapping-item')}[data-other="${ETSI}"] ${tid('mapping-go')}`);
    await waitText(session, tid('catalogue-requirement'), (s) => s.includes('5.1-1'), 'the ETSI provision');
    const back = `${tid('mapping-item')}[data-other="uk-cop-2018:1"][data-direction="incoming"]`;
    await session.waitFor('the mapping back to the CoP', async () => (await session.findAll(back)).length > 0);
    assert.match(await domText(session, tid('catalogue-requirement')), /5\.1-1/);
    await screenshot(session, 'catalogue-etsi');
  });

  await t.test('the mapping report renders for the example product', async () => {
    await clickWhenReady(session, tid('nav-reports'));
    await waitAttr(session, tid('screen'), 'data-screen', 'reports');
    await typeInto(session, tid('report-path'), report);
    await clickWhenReady(session, tid('report-mapping'));
    await waitAttr(session, tid('report-done'), 'data-path', report, 60_000);
    await screenshot(session, 'reports-mapping');
    assert.equal(fs.readFileSync(report).subarray(0, 5).toString(), '%PDF-');
    execFileSync('qpdf', ['--check', report]);
    const text = execFileSync('pdftotext', [report, '-'], { encoding: 'utf8' });
    assert.match(text, /EN 303 645/);
  });

  await t.test('the same report again asks before replacing the file', async () => {
    const before = fs.readFileSync(report);
    const stamp = new Date(Date.now() - 3_600_000);
    fs.utimesSync(report, stamp, stamp);
    await clickWhenReady(session, tid('report-mapping'));
    await waitAttr(session, tid('report-replace'), 'data-path', report);
    await screenshot(session, 'reports-replace-ask');
    await clickWhenReady(session, tid('report-replace-cancel'));
    await session.waitFor('the question gone', async () => (await session.findAll(tid('report-replace'))).length === 0);
    assert.ok(fs.readFileSync(report).equals(before), 'kept as it was');
    assert.ok(Math.abs(fs.statSync(report).mtimeMs - stamp.getTime()) < 1, 'not rewritten');
    await clickWhenReady(session, tid('report-mapping'));
    await clickWhenReady(session, tid('report-replace-confirm'));
    await waitAttr(session, tid('report-done'), 'data-path', report, 60_000);
    assert.ok(fs.statSync(report).mtimeMs > stamp.getTime(), 'replaced once confirmed');
    assert.equal(fs.readFileSync(report).subarray(0, 5).toString(), '%PDF-');
  });

  await t.test('a PSTI statement for the unsigned example is refused in place, no file written', async () => {
    const psti = path.join(dir, 'statement.pdf');
    await typeInto(session, tid('report-path'), psti);
    await clickWhenReady(session, tid('report-psti'));
    const error = `${tid('screen')} ${tid('error')}[data-code="statement_incomplete"]`;
    await session.waitForCss(error, 60_000);
    assert.match(await domText(session, error), /cannot be issued[\s\S]*signoff\.signatory/);
    await screenshot(session, 'reports-psti-refused');
    assert.ok(!fs.existsSync(psti), 'no statement file was written');
  });
});
