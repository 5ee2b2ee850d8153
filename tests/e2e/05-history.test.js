// The History screen on a workbook made by the CLI: the trail is listed with
// who did what, and "Verify workbook" says it is intact. Then the file is
// tampered with through plain SQLite, as anyone holding it could, and the same
// check in the app names the altered entry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, clickWhenReady, domText, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

async function openHistory(session) {
  await waitAttr(session, tid('screen'), 'data-screen', 'dashboard', 30_000);
  await clickWhenReady(session, tid('nav-history'));
  await waitAttr(session, tid('screen'), 'data-screen', 'history');
  await session.waitForCss(tid('history-event'));
}

test('history lists the trail, verify passes, then catches a tampered entry', async (t) => {
  const dir = freshDir('history');
  const workbook = path.join(dir, 'history.canary');
  execFileSync(CLI_BINARY, ['--workbook', workbook, 'init']);
  execFileSync(CLI_BINARY, ['--workbook', workbook, 'import', '--example', '--as', 'Ada Importer']);
  const events = JSON.parse(execFileSync(CLI_BINARY, ['--workbook', workbook, '--json', 'log'], { encoding: 'utf8' }));

  {
    const session = await launch(workbook);
    t.after(() => session.delete().catch(() => {}));
    await openHistory(session);

    const newest = await session.find(tid('history-event'));
    assert.equal(Number(await newest.attribute('data-seq')), events.at(-1).seq, 'newest first');
    await waitText(session, tid('history-count'), (s) => s.startsWith(`${events.length} of ${events.length}`), 'every event counted');
    assert.match(await domText(session, tid('history-event')), /Ada Importer added evidence/);

    await typeInto(session, tid('history-filter'), 'Exampletown');
    await waitText(session, tid('history-count'), (s) => s.startsWith('1 of'), 'the filter keeps the product event');
    const product = await session.find(tid('history-event'));
    assert.equal(await product.attribute('data-entity'), 'product');
    await clickWhenReady(session, `${tid('history-event')} ${tid('history-details')}`);
    await waitText(session, tid('history-diff'), (s) => s.includes('Acme SmartPlug') && s.includes('SP-200'), 'the product fields');

    await clickWhenReady(session, tid('history-verify'));
    await waitAttr(session, tid('verify-result'), 'data-ok', 'true', 60_000);
    await waitText(session, tid('verify-result'), (s) => s.includes(`${events.length} changes`), 'the event count');
    await screenshot(session, 'verified');
    await session.delete();
  }

  // Rewrite who made entry 2, past the trigger that keeps the trail append-only,
  // and rename the product in its table behind the trail's back; then put the
  // trigger back word for word (a workbook without it is refused).
  execFileSync('python3', ['-c', [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1])',
    'sql = c.execute("SELECT sql FROM sqlite_master WHERE name = \'event_no_update\'").fetchone()[0]',
    'c.executescript("DROP TRIGGER event_no_update; UPDATE event SET actor = \'Mallory\' WHERE seq = 2;")',
    'c.executescript("UPDATE product SET name = \'Forged plug\' WHERE id = 1;")',
    'c.execute(sql)',
    'c.close()',
  ].join('\n'), workbook]);

  {
    const session = await launch(workbook);
    t.after(() => session.delete().catch(() => {}));
    await openHistory(session);
    await clickWhenReady(session, tid('history-verify'));
    await waitAttr(session, tid('verify-result'), 'data-ok', 'false', 60_000);
    const findings = await domText(session, tid('verify-result'));
    assert.match(findings, /event 2/, `the altered entry is named: ${findings}`);
    assert.match(findings, /product 1 · name/, `the altered row is named: ${findings}`);
    assert.match(findings, /Forged plug/, `with what the table holds: ${findings}`);
    await screenshot(session, 'tampered');
  }
});
