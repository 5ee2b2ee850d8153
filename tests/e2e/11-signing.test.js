// Signing in the real window: a person whose key is passphrase-protected submits
// an assessment. The dialog asks for the passphrase with focus in its field;
// Cancel, Escape and a wrong passphrase record nothing; the right one (Enter) records the
// act, signed, as `canary verify` reads it. A report generated in the app is
// written with FILE.pdf.minisig, which the stock `minisign` accepts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, clickWhenReady, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

const PASSPHRASE = 'correct horse battery staple';
const ESCAPE = '\uE00C';
const ENTER = '\uE007';

test('signed acts and reports: the passphrase dialog', async (t) => {
  const dir = freshDir('signing');
  const workbook = path.join(dir, 'signing.canary');
  const report = path.join(dir, 'attestation.pdf');
  // The app's person lives in the run's shared config directory: the key made here
  // goes again afterwards, and whoever was the person there before comes back.
  const home = path.join(process.env.XDG_CONFIG_HOME ?? dir, 'canary');
  const personFile = path.join(home, 'person.json');
  const personBefore = fs.existsSync(personFile) ? fs.readFileSync(personFile) : null;
  t.after(() => {
    for (const f of ['signing.key', 'signing.pub']) fs.rmSync(path.join(home, f), { force: true });
    if (personBefore) fs.writeFileSync(personFile, personBefore);
    else fs.rmSync(personFile, { force: true });
  });

  const env = { ...process.env, CANARY_HOME: home };
  const cli = (...args) => execFileSync(CLI_BINARY, ['--workbook', workbook, ...args], { env, encoding: 'utf8' });
  const key = JSON.parse(execFileSync(CLI_BINARY, ['--json', 'key', 'create', '--name', 'Sam Signer',
    '--organisation', 'Canary Devices Ltd', '--role', 'Product security lead'],
  { env: { ...env, CANARY_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' }));
  const shown = JSON.parse(execFileSync(CLI_BINARY, ['--json', 'key', 'show'], { env, encoding: 'utf8' }));
  assert.equal(shown.key_id, key.key_id);
  cli('init');
  cli('product', 'add', '--name', 'Signed Plug', '--model', 'SP-1', '--manufacturer', 'Canary Devices Ltd');
  cli('respond', '--product', 'SP-1', '--requirement', 'uk-cop-2018:1', '--status', 'met', '--statement', 'Unique passwords.');
  const acts = () => JSON.parse(cli('--json', 'log')).filter((e) => e.action === 'submit');

  const session = await launch(workbook);
  t.after(() => session.delete().catch(() => {}));
  const dialogOpen = async () => session.execute(`return document.querySelector('[data-testid="passphrase-dialog"]').open;`);
  const focused = async () => session.execute('return document.activeElement?.dataset?.testid ?? null;');
  const state = () => session.execute(`return document.querySelector('[data-testid="screen"] [data-testid="assessment-state"]')?.textContent ?? '';`);

  await waitAttr(session, tid('screen'), 'data-screen', 'dashboard', 30_000);
  await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
  await waitAttr(session, tid('screen'), 'data-screen', 'product');

  await t.test('submitting asks for the passphrase, focus in the field', async () => {
    await clickWhenReady(session, tid('assessment-submit'));
    await session.waitFor('the passphrase dialog', dialogOpen);
    await session.waitFor('focus in the passphrase field', async () => (await focused()) === 'passphrase-input', 5_000);
    await waitText(session, tid('passphrase-dialog'), (s) => s.includes('Submitting for review') && s.includes(key.key_id),
      'the dialog naming the act and the key');
    await screenshot(session, 'dialog');
  });

  await t.test('Cancel, then Escape, close the dialog and record nothing', async () => {
    await clickWhenReady(session, tid('passphrase-cancel'));
    await session.waitFor('the dialog to close', async () => !(await dialogOpen()));
    await waitAttr(session, tid('note'), 'data-code', 'signing_cancelled');
    assert.deepEqual(acts(), []);
    await clickWhenReady(session, tid('assessment-submit'));
    await session.waitFor('the passphrase dialog again', dialogOpen);
    await session.waitFor('focus in the passphrase field', async () => (await focused()) === 'passphrase-input', 5_000);
    await (await session.find(tid('passphrase-input'))).sendKeys(ESCAPE);
    await session.waitFor('the dialog to close', async () => !(await dialogOpen()));
    // Said as a plain note, not an error: the person chose it.
    await waitAttr(session, tid('note'), 'data-code', 'signing_cancelled');
    assert.equal((await session.findAll(tid('error'))).length, 0, 'no error box for a cancel');
    assert.match(await state(), /draft/i);
    assert.deepEqual(acts(), []);
    await screenshot(session, 'cancelled');
  });

  await t.test('a wrong passphrase is refused in the dialog and records nothing', async () => {
    await clickWhenReady(session, tid('assessment-submit'));
    await session.waitFor('the passphrase dialog', dialogOpen);
    await session.waitFor('focus in the passphrase field', async () => (await focused()) === 'passphrase-input', 5_000);
    await (await session.find(tid('passphrase-input'))).sendKeys(`not my passphrase${ENTER}`);
    await waitText(session, tid('passphrase-wrong'), (s) => /passphrase/i.test(s), 'the wrong-passphrase error');
    assert.equal(await (await session.find(tid('passphrase-input'))).attribute('aria-invalid'), 'true');
    assert.ok(await dialogOpen(), 'the dialog stays open to try again');
    assert.equal(await (await session.find(tid('passphrase-input'))).property('value'), '', 'the field is emptied');
    await session.waitFor('focus back in the field', async () => (await focused()) === 'passphrase-input', 5_000);
    assert.match(await state(), /draft/i);
    assert.deepEqual(acts(), []);
    await screenshot(session, 'wrong-passphrase');
  });

  await t.test('the right passphrase (Enter) records the act, signed', async () => {
    await (await session.find(tid('passphrase-input'))).sendKeys(`${PASSPHRASE}${ENTER}`);
    await session.waitFor('the dialog to close', async () => !(await dialogOpen()));
    await waitText(session, `${tid('screen')} ${tid('assessment-state')}`, (s) => /submitted/i.test(s), 'state Submitted');
    assert.equal((await session.findAll(tid('error'))).length + (await session.findAll(tid('note'))).length, 0,
      'nothing left on screen from the cancel');
    const submits = acts();
    assert.equal(submits.length, 1);
    assert.equal(submits[0].actor, 'Sam Signer');
    const verified = JSON.parse(cli('--json', 'verify'));
    assert.deepEqual(verified.findings, []);
    assert.equal(verified.signed_acts, 1, 'the submission is a signed act');
    assert.deepEqual(verified.unsigned_acts, []);
    assert.deepEqual(verified.signers.map((s) => [s.name, s.key_id]), [['Sam Signer', key.key_id]]);
    await screenshot(session, 'submitted');
  });

  await t.test('a report generated in the app is signed; the stock minisign accepts it', async () => {
    await clickWhenReady(session, tid('nav-reports'));
    await waitAttr(session, tid('screen'), 'data-screen', 'reports');
    await typeInto(session, tid('report-path'), report);
    await clickWhenReady(session, tid('report-attestation'));
    // The key stays unlocked while the workbook is open: no second prompt.
    await waitAttr(session, tid('report-done'), 'data-path', report, 60_000);
    assert.equal(await dialogOpen(), false);
    await screenshot(session, 'report-signed');
    assert.ok(fs.existsSync(`${report}.minisig`), 'FILE.pdf.minisig is written next to the PDF');
    const out = execFileSync('minisign', ['-Vm', report, '-P', shown.key], { encoding: 'utf8' });
    assert.match(out, /Signature and comment signature verified/);
    const altered = path.join(dir, 'altered.pdf');
    const bytes = fs.readFileSync(report);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    fs.writeFileSync(altered, bytes);
    assert.throws(() => execFileSync('minisign', ['-Vm', altered, '-x', `${report}.minisig`, '-P', shown.key],
      { stdio: 'pipe' }), 'minisign refuses one changed byte');
  });
});
