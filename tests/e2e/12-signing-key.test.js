// A person makes their signing key in the app: the Profile screen asks for the
// passphrase twice, refuses two that differ, and the key it makes is the one the
// CLI shows from the same config directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CLI_BINARY, clickWhenReady, domText, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText } from './lib/app.js';

test('create a signing key on the Profile screen', async (t) => {
  const dir = freshDir('key');
  // The person's config directory is the run's shared one: start as nobody, and
  // leave nobody behind for the tests after this one.
  const home = path.join(process.env.XDG_CONFIG_HOME ?? dir, 'canary');
  const forget = () => ['person.json', 'signing.key', 'signing.pub']
    .forEach((f) => fs.rmSync(path.join(home, f), { force: true }));
  forget();
  const session = await launch(path.join(dir, 'key.canary'));
  t.after(async () => {
    await session.delete();
    forget();
  });

  await session.waitForCss(`${tid('dashboard')}[data-ready="true"]`, 30_000);
  await clickWhenReady(session, tid('nav-profile'));
  await waitAttr(session, tid('screen'), 'data-screen', 'profile');
  await session.waitForCss(tid('profile-no-key'));
  // No profile, no key: it would sign in nobody's name.
  assert.equal(await (await session.find(tid('key-create'))).property('disabled'), true);

  await typeInto(session, tid('profile-name'), 'Rita Retail');
  await typeInto(session, tid('profile-organisation'), 'Shop & Co');
  await typeInto(session, tid('profile-role'), 'Buyer');
  await clickWhenReady(session, tid('profile-save'));
  await session.waitForCss(tid('profile-saved'));

  await typeInto(session, tid('key-passphrase'), 'correct horse');
  await typeInto(session, tid('key-passphrase-again'), 'correct hose');
  await waitText(session, tid('key-mismatch'), (s) => /differ/.test(s), 'the mismatch warning');
  assert.equal(await (await session.find(tid('key-create'))).property('disabled'), true);
  await screenshot(session, 'key-mismatch');

  await typeInto(session, tid('key-passphrase-again'), 'correct horse');
  await session.waitFor('the warning to go', async () => (await session.findAll(tid('key-mismatch'))).length === 0);
  await clickWhenReady(session, tid('key-create'));
  const keyId = await waitText(session, tid('profile-key-id'), (s) => /^[0-9A-F]{16}$/.test(s), 'the new key id');
  await screenshot(session, 'key-created');

  const shown = JSON.parse(execFileSync(CLI_BINARY, ['--json', 'key', 'show', '--home', home], { encoding: 'utf8' }));
  assert.equal(shown.key_id, keyId);
  assert.deepEqual(shown.person, { name: 'Rita Retail', organisation: 'Shop & Co', role: 'Buyer' });
  assert.equal(await domText(session, tid('profile-public-key')), shown.key);
});
