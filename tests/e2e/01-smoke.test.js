// The app starts on a fresh workbook, names it in the window title and renders
// its first screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { domText, freshDir, launch, screenshot, tid } from './lib/app.js';

test('app starts on a new workbook and renders its first screen', async (t) => {
  const dir = freshDir('smoke');
  const workbook = path.join(dir, 'smoke-test.canary');
  const session = await launch(workbook);
  t.after(() => session.delete());

  const screen = await session.waitForCss(tid('screen'), 30_000);
  const which = await screen.attribute('data-screen');
  assert.ok(['dashboard', 'workbooks'].includes(which), `first screen is ${which}`);
  await session.waitFor('window title naming the workbook', async () => (await session.title()).includes('smoke-test.canary'));
  assert.match(await session.title(), /smoke-test\.canary.*Canary/);
  assert.equal(await domText(session, tid('workbook-name')), 'smoke-test.canary');
  if (which === 'dashboard') {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"]`);
    await session.waitForCss(tid('empty-state'));
  }
  t.diagnostic(`screenshot ${await screenshot(session, 'first-screen')}`);
  assert.ok(fs.statSync(workbook).size > 0, 'the workbook file was created on disk');
});
