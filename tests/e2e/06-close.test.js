// Typing is saved after a short pause. Closing the window inside that pause must
// still save what was typed: the close waits for the pending save, then the
// window goes. The close request is sent as the system sends it to the window
// (the `tauri://close-requested` event); Xvfb has no window manager to click.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { CLI_BINARY, clickWhenReady, freshDir, launch, tid, waitAttr } from './lib/app.js';

test('closing the window while an answer is still unsaved saves it first', async (t) => {
  const dir = freshDir('close');
  const workbook = path.join(dir, 'close.canary');
  execFileSync(CLI_BINARY, ['--workbook', workbook, 'init']);
  execFileSync(CLI_BINARY, ['--workbook', workbook, 'import', '--example', '--as', 'Ada']);
  const marker = `Typed just before closing ${Date.now()}`;

  const session = await launch(workbook);
  t.after(() => session.delete().catch(() => {}));
  await waitAttr(session, tid('screen'), 'data-screen', 'dashboard', 30_000);
  await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
  await waitAttr(session, tid('screen'), 'data-screen', 'product');
  await clickWhenReady(session, `${tid('guideline-item')}[data-requirement="uk-cop-2018:11"]`);
  const statement = await session.waitForCss(tid('statement'));
  await statement.sendKeys(` ${marker}`);

  // In one script, so no save can slip in between: the answer is still unsaved,
  // then the close request arrives.
  const before = await session.execute(`
    const state = document.querySelector('[data-testid="save-state"]').dataset.state;
    window.__TAURI_INTERNALS__.invoke('plugin:event|emit_to', {
      target: { kind: 'AnyLabel', label: 'main' }, event: 'tauri://close-requested', payload: null,
    });
    return state;`);
  assert.equal(before, 'dirty', 'the answer was still waiting for its save when the close came');

  // The window goes once the save is done; the workbook then holds the text.
  const deadline = Date.now() + 20_000;
  let saved = false;
  while (!saved && Date.now() < deadline) {
    const last = JSON.parse(execFileSync(CLI_BINARY, ['--workbook', workbook, '--json', 'log', '--last', '1'], { encoding: 'utf8' }));
    saved = last[0]?.entity === 'response' && (last[0]?.after ?? '').includes(marker);
    if (!saved) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(saved, 'the typed statement reached the workbook');
  await session.waitFor('the window to close', async () => {
    try {
      await session.title();
      return false;
    } catch {
      return true;
    }
  }, 20_000);
});
