// The whole journey of issue 5 on one app session: create a workbook, add a
// product, answer requirements (including a refused bad input), attach a file,
// review as auditor, generate the attestation PDF; then relaunch on the same
// workbook to time the dashboard and see the answers survived.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, SHOT_DIR, choose, clickWhenReady, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

const PRODUCT = 'Canary Test Plug';
const REQ_NA = 'uk-cop-2018:1'; // answered "not applicable": needs a justification
const REQ_MET = 'uk-cop-2018:2'; // answered "met", with file evidence
const JUSTIFICATION_ERROR = '[data-testid="error"][data-code="justification_required"]';

test('workbook → product → responses → evidence → review → attestation', async (t) => {
  const dir = freshDir('flow');
  const workbook = path.join(dir, 'flow.canary');
  const evidenceFile = path.join(dir, 'vulnerability-disclosure-policy.txt');
  fs.writeFileSync(evidenceFile, 'Report security issues to security@example.invalid; we answer within 5 days.\n');
  const reportPath = path.join(dir, 'attestation.pdf');

  let session = await launch(path.join(dir, 'start.canary'));
  let broken = false;
  // Error boxes left on screen at the end of a step whose error codes the step
  // did not provoke on purpose: checked by the last test.
  const stray = new Map();
  // Steps share one session: once a step fails, the later ones are skipped
  // instead of failing for the same cause.
  const step = (name, fn, allowedErrors = []) => t.test(name, async (st) => {
    if (broken) return st.skip('an earlier step failed');
    try {
      await fn(st);
    } catch (e) {
      broken = true;
      await screenshot(session, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw e;
    }
    for (const el of await session.findAll(tid('error'))) {
      const code = await el.attribute('data-code');
      if (allowedErrors.includes(code)) continue;
      const key = `${code}: ${(await el.property('textContent')).trim()}`;
      if (!stray.has(key)) stray.set(key, name);
    }
  });
  t.after(() => session?.delete());

  async function setProfile(name, organisation, role) {
    await clickWhenReady(session, tid('nav-profile'));
    await waitAttr(session, tid('screen'), 'data-screen', 'profile');
    await typeInto(session, tid('profile-name'), name);
    await typeInto(session, tid('profile-organisation'), organisation);
    await typeInto(session, tid('profile-role'), role);
    await clickWhenReady(session, tid('profile-save'));
    await session.waitForCss(tid('profile-saved'));
    await screenshot(session, `profile-${role.replace(/\W+/g, '-').toLowerCase()}`);
    await clickWhenReady(session, tid('nav-dashboard'));
  }

  await step('create a workbook by typed path', async () => {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"]`, 30_000);
    await clickWhenReady(session, tid('nav-workbooks'));
    await waitAttr(session, tid('screen'), 'data-screen', 'workbooks');
    await screenshot(session, 'workbooks');
    await typeInto(session, tid('workbook-path'), workbook);
    await clickWhenReady(session, tid('workbook-create'));
    await waitAttr(session, tid('screen'), 'data-screen', 'dashboard');
    await session.waitFor('title naming flow.canary', async () => (await session.title()).includes('flow.canary'));
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"]`);
    await session.waitForCss(tid('empty-state'));
    assert.ok(fs.existsSync(workbook), 'workbook file exists');
    await screenshot(session, 'dashboard-empty');
  });

  await step('set up the team member profile', async () => {
    await setProfile('Tess Team', 'Canary Devices Ltd', 'Product security lead');
  });

  await step('add a product', async () => {
    await clickWhenReady(session, tid('add-product'));
    await typeInto(session, tid('product-name-input'), PRODUCT);
    await typeInto(session, tid('product-model-input'), 'CTP-1');
    await typeInto(session, tid('product-manufacturer-input'), 'Canary Devices Ltd');
    await typeInto(session, tid('product-support-end-input'), '2030-12-31');
    await screenshot(session, 'product-form');
    await clickWhenReady(session, tid('product-create'));
    await waitText(session, tid('product-row'), (s) => s.includes(PRODUCT), 'the new product row');
    const rows = await session.findAll(tid('product-row'));
    assert.equal(rows.length, 1);
    const [supportEnd] = await rows[0].findAll(tid('support-end'));
    assert.equal(await supportEnd.attribute('data-warn'), 'none');
    await screenshot(session, 'dashboard-product');
  });

  await step('Not applicable without a justification is refused in place', async () => {
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, tid('screen'), 'data-screen', 'product');
    await waitText(session, tid('product-title'), (s) => s.includes(PRODUCT));
    await clickWhenReady(session, `${tid('guideline-item')}[data-requirement="${REQ_NA}"]`);
    assert.equal(await (await session.waitForCss(tid('justification'))).property('value'), '');
    await choose(session, tid('status-select'), 'not_applicable');
    await waitAttr(session, tid('save-state'), 'data-state', 'error');
    const error = await waitText(session, JUSTIFICATION_ERROR, (s) => /justif/i.test(s), 'the justification error');
    assert.match(error, /justif/i);
    assert.equal(await (await session.find(tid('justification'))).attribute('aria-invalid'), 'true');
    // The refused choice stays on screen for the person to fix, not reverted.
    assert.equal(await (await session.find(tid('status-select'))).property('value'), 'not_applicable');
    await screenshot(session, 'product-error-in-place');
  }, ['justification_required']);

  await step('a justification makes the answer save', async () => {
    await typeInto(session, tid('justification'), 'The plug has no passwords at all: it is paired by a physical button.');
    await waitAttr(session, tid('save-state'), 'data-state', 'saved');
    await session.waitFor('the justification error to go', async () => (await session.findAll(JUSTIFICATION_ERROR)).length === 0);
    await waitAttr(session, `${tid('guideline-item')}[data-requirement="${REQ_NA}"]`, 'data-status', 'not_applicable');
  });

  await step('answer Met with a statement and attach a file by typed path', async () => {
    await clickWhenReady(session, `${tid('guideline-item')}[data-requirement="${REQ_MET}"]`);
    await choose(session, tid('status-select'), 'met');
    await typeInto(session, tid('statement'), 'Published disclosure policy, linked from the product page.');
    await waitAttr(session, tid('save-state'), 'data-state', 'saved');
    await typeInto(session, tid('evidence-path'), evidenceFile);
    await clickWhenReady(session, tid('evidence-add-path'));
    await waitText(session, `${tid('evidence-item')}[data-kind="file"]`, (s) => s.includes('vulnerability-disclosure-policy.txt'), 'the file evidence row');
    await waitAttr(session, `${tid('guideline-item')}[data-requirement="${REQ_MET}"]`, 'data-status', 'met');
    await screenshot(session, 'product-evidence');
  });

  await step('remove evidence by mistake, then undo', async () => {
    const noteRow = `${tid('evidence-item')}[data-kind="note"]`;
    await clickWhenReady(session, tid('evidence-show-note'));
    await typeInto(session, tid('evidence-note'), 'Disclosure inbox answered a test report on 2026-11-20.');
    // A date picker's value, set as the picker would (typing into it varies by engine).
    await session.execute(
      `for (const [id, v] of [['evidence-date', '2025-11-20'], ['evidence-expires', '2025-11-21']]) {
         const el = document.querySelector('[data-testid="' + id + '"]');
         el.value = v;
         el.dispatchEvent(new Event('input', { bubbles: true }));
       }`,
    );
    await clickWhenReady(session, tid('evidence-add-note'));
    await waitText(session, noteRow, (s) => s.includes('Disclosure inbox answered'), 'the note row');
    await waitText(session, `${noteRow} ${tid('evidence-expiry')}`, (s) => s.includes('Expired 2025-11-21'), 'the expiry, flagged');
    await waitAttr(session, `${noteRow} ${tid('evidence-expiry')}`, 'data-warning', 'past');
    await clickWhenReady(session, `${noteRow} ${tid('evidence-remove')}`);
    await waitText(session, tid('evidence-undo'), (s) => s.includes('Removed'), 'the undo offer');
    await session.waitFor('the note row to go', async () => (await session.findAll(noteRow)).length === 0);
    await screenshot(session, 'product-evidence-undo');
    await clickWhenReady(session, tid('evidence-undo-button'));
    await waitText(session, noteRow, (s) => s.includes('Disclosure inbox answered'), 'the restored note');
    await session.waitFor('the undo offer to go', async () => (await session.findAll(tid('evidence-undo'))).length === 0);
  });

  await step('submit the assessment for review', async () => {
    await clickWhenReady(session, tid('assessment-submit'));
    await waitText(session, `${tid('screen')} ${tid('assessment-state')}`, (s) => /submitted/i.test(s), 'state Submitted');
    // Submitted answers are read-only for the team.
    await session.waitFor('status select disabled', async () => !(await (await session.find(tid('status-select'))).enabled()));
  });

  await step('review as auditor: verdict, comment, approve', async () => {
    await setProfile('Ada Auditor', 'Test House', 'Auditor');
    await clickWhenReady(session, tid('nav-review'));
    await waitAttr(session, tid('screen'), 'data-screen', 'review');
    await waitText(session, `${tid('review-product')} option:checked`, (s) => s.includes(PRODUCT), 'the product picked for review');
    await clickWhenReady(session, `${tid('review-item')}[data-requirement="${REQ_MET}"]`);
    await waitText(session, tid('team-response'), (s) => s.includes('disclosure policy'), 'the team response');
    await choose(session, tid('review-verdict'), 'accepted');
    await typeInto(session, tid('review-comment'), 'Policy checked against the published page.');
    await clickWhenReady(session, tid('review-save'));
    await waitAttr(session, `${tid('review-item')}[data-requirement="${REQ_MET}"]`, 'data-verdict', 'accepted');
    // The first verdict on a submitted assessment starts its review.
    await waitText(session, tid('review-state'), (s) => /in review/i.test(s), 'state In review');
    await screenshot(session, 'review');
    // Most requirements are not assessed: approval lists them and needs a reason to go ahead.
    await clickWhenReady(session, tid('review-approve'));
    await waitText(session, tid('approve-blockers'), (s) => /not assessed/i.test(s), 'the outstanding answers listed');
    await typeInto(session, tid('approve-despite-reason'), 'Pilot scope: only two guidelines assessed for this trial.');
    await clickWhenReady(session, tid('approve-despite-confirm'));
    await waitText(session, tid('review-state'), (s) => /approved/i.test(s), 'state Approved');
    await screenshot(session, 'review-approved');
  });

  await step('generate the attestation PDF', async () => {
    await clickWhenReady(session, tid('nav-reports'));
    await waitAttr(session, tid('screen'), 'data-screen', 'reports');
    await typeInto(session, tid('report-path'), reportPath);
    await clickWhenReady(session, tid('report-attestation'));
    await waitAttr(session, tid('report-done'), 'data-path', reportPath, 60_000);
    await screenshot(session, 'reports-done');
    const pdf = fs.readFileSync(reportPath);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    execFileSync('pdfinfo', [reportPath]);
    execFileSync('qpdf', ['--check', reportPath]);
    fs.copyFileSync(reportPath, path.join(SHOT_DIR, 'attestation.pdf'));
    const text = execFileSync('pdftotext', [reportPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert.ok(text.includes(PRODUCT), 'the attestation names the product');
    assert.ok(text.includes('paired by a physical button'), 'the attestation carries the justification');
    assert.ok(text.includes('accepted by Ada Auditor'), 'the attestation carries the verdict and reviewer');
    assert.ok(text.includes('Pilot scope: only two guidelines assessed for this trial.'), 'page 1 carries the approval override');
    const digest = createHash('sha256').update(fs.readFileSync(evidenceFile)).digest('hex');
    assert.ok(text.includes(digest.slice(0, 12)), 'the attestation lists the stored evidence by its SHA-256');
  });

  await step('relaunch: dashboard interactive time, answers kept', async (st) => {
    await session.delete();
    session = null;
    session = await launch(workbook);
    const created = performance.now();
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"] ${tid('product-row')}`, 30_000);
    const ready = performance.now();
    const msg = `launch → dashboard product rows: ${Math.round(ready - session.launchedAt)} ms (session creation ${Math.round(created - session.launchedAt)} ms)`;
    console.log(`# e2e timing: ${msg}`);
    st.diagnostic(msg);
    fs.writeFileSync(path.join(SHOT_DIR, 'timing.json'), JSON.stringify({
      launch_to_dashboard_rows_ms: Math.round(ready - session.launchedAt),
      session_create_ms: Math.round(created - session.launchedAt),
    }, null, 2));
    await screenshot(session, 'dashboard-relaunched');
    await waitText(session, `${tid('product-row')} ${tid('assessment-state')}`, (s) => /approved/i.test(s), 'state Approved on the dashboard');
    await waitAttr(session, `${tid('canary-badge')}[data-requirement="${REQ_MET}"]`, 'data-state', 'pass');
    await waitAttr(session, `${tid('canary-badge')}[data-requirement="${REQ_NA}"]`, 'data-state', 'unknown');
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, `${tid('guideline-item')}[data-requirement="${REQ_NA}"]`, 'data-status', 'not_applicable');
    await waitAttr(session, `${tid('guideline-item')}[data-requirement="${REQ_MET}"]`, 'data-status', 'met');
  });

  await step('the workbook file holds what the UI showed (read back with the CLI)', async () => {
    const cli = (...args) => execFileSync(CLI_BINARY, ['--workbook', workbook, ...args], { encoding: 'utf8' });
    assert.match(cli('verify'), /no problems found/);
    const [row] = JSON.parse(cli('--json', 'status'));
    assert.equal(row.name, PRODUCT);
    assert.equal(row.state, 'approved');
    const cop = row.counts.find((c) => c.framework === 'uk-cop-2018');
    assert.deepEqual([cop.met, cop.not_applicable, cop.not_assessed], [1, 1, cop.total - 2]);
    assert.equal(row.canaries.find((c) => c.requirement === REQ_MET).state, 'pass');
    const log = JSON.parse(cli('--json', 'log'));
    const by = (actor) => log.filter((e) => e.actor === actor).map((e) => `${e.entity}:${e.action}`);
    assert.ok(by('Tess Team').some((e) => e.startsWith('response:')), `team events: ${by('Tess Team')}`);
    assert.ok(by('Tess Team').some((e) => e.startsWith('evidence:')), `team events: ${by('Tess Team')}`);
    assert.ok(by('Ada Auditor').some((e) => e.startsWith('review:')), `auditor events: ${by('Ada Auditor')}`);
    assert.ok(log.some((e) => e.actor === 'Ada Auditor' && (e.after ?? '').includes('approved')), 'the approval is recorded under the auditor');
    assert.ok(log.some((e) => (e.after ?? '').includes('paired by a physical button')), 'the justification is in the trail');
  });

  await t.test('no unexpected error was shown on any screen', () => {
    assert.deepEqual([...stray].map(([error, where]) => `${where}: ${error}`), []);
  });
});
