// The Received screen of a retailer: a manufacturer's team signs an attestation
// with the CLI (its own config directory); the retailer receives the genuine PDF
// (kept, valid, key not yet trusted, support ending flagged) and a copy with one
// byte changed (refused, with the reason, nothing kept); then trusts the key
// from the document's signature story, and the filters narrow the list; last,
// the document is removed from the register after a confirmation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, clickWhenReady, domText, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

/** `YYYY-MM-DD`, `days` from today. */
function dayFromNow(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('received: a genuine PDF is kept, an altered one refused, the key trusted', async (t) => {
  const dir = freshDir('received');
  const team = { ...process.env, CANARY_HOME: path.join(dir, 'team-home'), CANARY_PASSPHRASE: 'e2e passphrase', CANARY_AS: 'Ada' };
  const cli = (args, env = process.env) => execFileSync(CLI_BINARY, args, { env, encoding: 'utf8' });
  const teamBook = path.join(dir, 'team.canary');
  const supportEnd = dayFromNow(120);
  cli(['--workbook', teamBook, 'init'], team);
  const key = JSON.parse(cli(['--json', 'key', 'create', '--name', 'Ada Lovelace', '--organisation', 'Acme Ltd'], team));
  cli(['--workbook', teamBook, 'product', 'add', '--name', 'SmartPlug', '--model', 'SP-200', '--manufacturer', 'Acme Ltd',
    '--support-end', supportEnd], team);
  cli(['--workbook', teamBook, 'respond', '--product', 'SP-200', '--requirement', 'uk-cop-2018:1', '--status', 'met'], team);
  const genuine = path.join(dir, 'genuine.pdf');
  cli(['--workbook', teamBook, 'report', 'attestation', '--product', 'SP-200', '--out', genuine], team);
  assert.ok(fs.existsSync(`${genuine}.minisig`), 'the team signed it');

  const altered = path.join(dir, 'altered.pdf');
  const bytes = fs.readFileSync(genuine);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  fs.writeFileSync(altered, bytes);
  fs.copyFileSync(`${genuine}.minisig`, `${altered}.minisig`);

  const shop = path.join(dir, 'shop.canary');
  cli(['--workbook', shop, 'init']);
  const session = await launch(shop);
  t.after(() => session.delete().catch(() => {}));
  await waitAttr(session, tid('screen'), 'data-screen', 'dashboard', 30_000);
  await clickWhenReady(session, tid('nav-received'));
  await waitAttr(session, tid('received'), 'data-ready', 'true');
  await screenshot(session, 'empty');

  await typeInto(session, tid('received-path'), genuine);
  await clickWhenReady(session, tid('received-add-path'));
  await waitAttr(session, tid('receipt'), 'data-outcome', 'added', 30_000);
  await waitText(session, tid('receipt-warning'), (s) => s.includes('not one you trust'), 'warned: key not trusted');
  const row = await session.waitForCss(tid('received-row'));
  assert.equal(await row.attribute('data-signature'), 'valid');
  assert.equal(await row.attribute('data-trust'), 'untrusted');
  assert.equal(await row.attribute('data-support'), 'soon', `support ends ${supportEnd}: within 12 months`);
  const canaries = await session.findAll(`${tid('received-row')} ${tid('received-canary')}`);
  assert.deepEqual(await Promise.all(canaries.map((c) => c.attribute('data-state'))), ['claimed', 'unknown', 'unknown']);
  await waitAttr(session, tid('received-detail'), 'data-id', '1');
  assert.equal(await domText(session, tid('received-key-id')), key.key_id);
  await waitAttr(session, tid('received-now'), 'data-signature-now', 'valid');
  await screenshot(session, 'genuine-received');

  await typeInto(session, tid('received-path'), altered);
  await clickWhenReady(session, tid('received-add-path'));
  await waitAttr(session, tid('receipt'), 'data-outcome', 'refused', 30_000);
  await waitText(session, tid('receipt-reason'), (s) => s.includes('altered since it was signed'), 'the reason');
  await waitText(session, tid('received-count'), (s) => s === '1 of 1', 'nothing kept of the altered copy');
  await screenshot(session, 'altered-refused');

  await clickWhenReady(session, tid('trust-key'));
  await waitAttr(session, tid('received-now'), 'data-trust', 'trusted', 10_000);
  await waitAttr(session, tid('received-row'), 'data-trust', 'trusted');
  await screenshot(session, 'key-trusted');

  const filter = (flag) => clickWhenReady(session, `${tid('received-filter')}[data-flag="${flag}"]`);
  await filter('support');
  await waitText(session, tid('received-count'), (s) => s === '1 of 1', 'support ending keeps it');
  await filter('unsigned');
  await waitText(session, tid('received-count'), (s) => s === '0 of 1', 'it is not unsigned');
  await screenshot(session, 'filtered');

  // The register as the CLI reads it: one document, valid, the workbook intact.
  const home = { ...process.env, CANARY_HOME: path.join(process.env.XDG_CONFIG_HOME ?? dir, 'canary') };
  const listed = JSON.parse(cli(['--workbook', shop, '--json', 'received', 'list'], home));
  assert.equal(listed.length, 1);
  assert.equal(listed[0].signature, 'valid');
  assert.equal(listed[0].key_id, key.key_id);
  cli(['--workbook', shop, 'verify']);

  // Removed from the register after a confirmation; the trail explains it.
  await clickWhenReady(session, tid('received-remove'));
  await waitText(session, tid('received-remove-question'), (s) => s.includes('Remove this document'), 'the confirmation');
  await screenshot(session, 'remove-confirm');
  await clickWhenReady(session, tid('received-remove-confirm'));
  await waitText(session, tid('received-count'), (s) => s === '0 of 0', 'the register empty');
  assert.equal((await session.findAll(tid('received-detail'))).length, 0, 'the detail went with it');
  await screenshot(session, 'removed');
  assert.deepEqual(JSON.parse(cli(['--workbook', shop, '--json', 'received', 'list'], home)), []);
  const last = JSON.parse(cli(['--workbook', shop, '--json', 'log'])).at(-1);
  assert.deepEqual([last.entity, last.entity_id, last.action], ['received', '1', 'delete']);
  assert.match(cli(['--workbook', shop, 'verify']), /no problems found/);
});
