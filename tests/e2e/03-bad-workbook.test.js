// A file that is not a workbook, given at launch, is refused on the start
// screen with its error in place, and the file is left exactly as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { domText, freshDir, launch, screenshot, tid, waitAttr } from './lib/app.js';

test('a non-workbook file given at launch is refused and left untouched', async (t) => {
  const dir = freshDir('bad');
  const file = path.join(dir, 'notes.canary');
  const bytes = Buffer.from('These are meeting notes, not a SQLite workbook.\n'.repeat(200));
  fs.writeFileSync(file, bytes);
  const session = await launch(file);
  t.after(() => session.delete());

  await waitAttr(session, tid('screen'), 'data-screen', 'workbooks', 30_000);
  const error = await session.waitForCss(`${tid('screen')} ${tid('error')}`);
  assert.ok((await error.attribute('data-code')).length > 0, 'the error carries a code');
  assert.ok((await domText(session, `${tid('screen')} ${tid('error')}`)).length > 0, 'the error has a message');
  assert.equal((await session.findAll(tid('workbook-name'))).length, 0, 'no workbook is open');
  assert.ok(!(await (await session.find(tid('nav-dashboard'))).enabled()), 'screens that need a workbook are disabled');
  await screenshot(session, 'launch-error');
  assert.ok(fs.readFileSync(file).equals(bytes), 'the file is byte-for-byte unchanged');
  assert.deepEqual(fs.readdirSync(dir), ['notes.canary'], 'no side files (journal, WAL, backup) were left');
});
