// Long lists render only the rows in view. A workbook of a few hundred products,
// made with the CLI: the dashboard holds a screenful of rows, tells screen readers
// the full count, reaches the last product by scrolling and any product by search;
// the requirement list follows the keyboard to its last row; History renders a
// screenful of its loaded changes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { CLI_BINARY, clickWhenReady, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText } from './lib/app.js';

const COUNT = 240;
const ETSI = 'etsi-en-303-645-v2.1.1';
const name = (i) => `Scale Plug ${String(i).padStart(3, '0')}`;

/** How many elements match css, counted in the page in one go. */
const count = (session, css) => session.execute(`return document.querySelectorAll(${JSON.stringify(css)}).length;`);

test('long lists: a screenful rendered, every row reachable', async (t) => {
  const dir = freshDir('lists');
  const workbook = path.join(dir, 'lists.canary');
  const cli = (...args) => execFileSync(CLI_BINARY, ['--workbook', workbook, ...args], { encoding: 'utf8' });
  cli('init');
  cli('profile', 'set', '--name', 'Sam Scale', '--organisation', 'Scale Ltd', '--role', 'Tester');
  // The first product is also assessed against ETSI EN 303 645: a list of some eighty requirements.
  cli('product', 'add', '--name', name(1), '--model', 'SC-001', '--manufacturer', 'Scale Ltd', '--framework', 'uk-cop-2018', '--framework', ETSI);
  for (let i = 2; i <= COUNT; i++) {
    cli('product', 'add', '--name', name(i), '--model', `SC-${String(i).padStart(3, '0')}`, '--manufacturer', 'Scale Ltd');
  }
  const products = JSON.parse(cli('--json', 'product', 'list'));
  assert.equal(products.length, COUNT);

  const session = await launch(workbook);
  t.after(() => session.delete().catch(() => {}));

  await t.test('the dashboard renders a screenful and names the full count', async () => {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"] ${tid('product-row')}`, 30_000);
    const rendered = await count(session, tid('product-row'));
    assert.ok(rendered > 5 && rendered < 60, `${rendered} of ${COUNT} rows rendered`);
    const table = await session.find('[role="table"][aria-label="Products"]');
    assert.equal(await table.attribute('aria-rowcount'), String(COUNT + 1));
    await screenshot(session, 'dashboard-many');
  });

  await t.test('scrolling to the end renders the last product, and still only a screenful', async () => {
    const last = products.at(-1);
    await session.execute(`document.querySelector('[data-testid="screen"]').scrollTop = 1e9;`);
    const row = await session.waitForCss(`${tid('product-row')}[data-product-id="${last.id}"]`);
    assert.equal(await row.attribute('aria-rowindex'), String(COUNT + 1));
    const rendered = await count(session, tid('product-row'));
    assert.ok(rendered < 60, `${rendered} rows rendered at the end`);
    await screenshot(session, 'dashboard-end');
  });

  await t.test('search finds a product far down and opens it', async () => {
    await typeInto(session, tid('product-search'), 'plug 007');
    await waitText(session, tid('product-search-count'), (s) => s.startsWith(`1 of ${COUNT}`), 'one match');
    await waitText(session, tid('product-row'), (s) => s.includes(name(7)), 'the matching row');
    await typeInto(session, tid('product-search'), 'plug 001');
    await waitText(session, tid('product-row'), (s) => s.includes(name(1)), 'the first product');
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, tid('screen'), 'data-screen', 'product');
  });

  await t.test('the requirement list follows the keyboard to its last row', async () => {
    await clickWhenReady(session, `${tid('framework-tab')}[data-framework="${ETSI}"]`);
    const first = await session.waitForCss(`${tid('guideline-item')}[data-requirement^="${ETSI}:"]`);
    const total = Number(await first.attribute('aria-setsize'));
    assert.ok(total > 50, `${total} ETSI requirements`);
    assert.ok((await count(session, tid('guideline-item'))) < total, 'not every requirement is rendered');
    await first.click();
    await first.sendKeys('\uE010'); // End
    const focused = () => session.execute(`const a = document.activeElement; return a && a.dataset.testid === 'guideline-item' ? a.getAttribute('aria-posinset') : null;`);
    await session.waitFor('the last requirement focused', async () => (await focused()) === String(total));
    const selected = await session.find(`${tid('guideline-item')}[aria-selected="true"]`);
    assert.equal(await selected.attribute('aria-posinset'), String(total));
    await waitText(session, tid('requirement-title'), (s) => s.length > 0, 'its title in the pane');
    await screenshot(session, 'requirements-end');
  });

  await t.test('History renders a screenful of the loaded changes', async () => {
    await clickWhenReady(session, tid('nav-history'));
    await waitAttr(session, tid('screen'), 'data-screen', 'history');
    await waitText(session, tid('history-count'), (s) => /^200 of 200 loaded/.test(s), 'a first page of changes');
    const rendered = await count(session, tid('history-event'));
    assert.ok(rendered > 5 && rendered < 100, `${rendered} of 200 changes rendered`);
  });
});
