// The EU declaration of conformity from the app: a CRA assessment made and signed
// with the CLI; the product page shows the support period as month and year and
// takes the declaration's details; the report is refused in place while the
// standards are missing, then written, and carries every Annex V item.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  CLI_BINARY, clickWhenReady, domText, freshDir, launch, screenshot, tid, typeInto, waitAttr, waitText,
} from './lib/app.js';

test('EU declaration of conformity from a signed CRA assessment', async (t) => {
  const dir = freshDir('cra-doc');
  const workbook = path.join(dir, 'cra.canary');
  const cli = (...args) => execFileSync(CLI_BINARY, ['--workbook', workbook, ...args], { encoding: 'utf8' });
  cli('init');
  cli('product', 'add', '--name', 'Plug', '--model', 'P-2', '--manufacturer', 'Acme Ltd', '--address', '1 High Street, Cambridge',
    '--support-end', '2031-03-31', '--framework', 'eu-cra-2024', '--as', 'Ada');
  const catalogue = JSON.parse(cli('catalog', 'export'));
  const cra = catalogue.frameworks.find((f) => f.id === 'eu-cra-2024');
  for (const r of cra.requirements) {
    cli('respond', '--product', 'P-2', '--requirement', `eu-cra-2024:${r.ref}`, '--status', 'met', '--statement', 'Met.', '--as', 'Ada');
  }
  cli('submit', '--product', 'P-2', '--as', 'Ada');
  cli('review', '--product', 'P-2', '--requirement', 'eu-cra-2024:I.1', '--verdict', 'accepted', '--as', 'Auditor');
  cli('approve', '--product', 'P-2', '--as', 'Auditor');

  const session = await launch(workbook);
  t.after(() => session.delete().catch(() => {}));
  const doc = path.join(dir, 'declaration.pdf');

  await t.test('the product page shows month and year of the support end', async () => {
    await session.waitForCss(`${tid('dashboard')}[data-ready="true"] ${tid('product-row')}`, 30_000);
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, tid('screen'), 'data-screen', 'product');
    await waitText(session, tid('product-support-until'), (s) => s === 'support until: March 2031', 'support until');
  });

  await t.test('unsigned and without standards, the declaration is refused in place', async () => {
    await clickWhenReady(session, tid('nav-reports'));
    await waitAttr(session, tid('screen'), 'data-screen', 'reports');
    await typeInto(session, tid('report-path'), doc);
    await clickWhenReady(session, tid('report-cra-doc'));
    const error = `${tid('screen')} ${tid('error')}[data-code="declaration_incomplete"]`;
    await session.waitForCss(error, 60_000);
    assert.match(await domText(session, error), /not signed[\s\S]*cra\.standards/);
    await screenshot(session, 'cra-doc-refused');
    assert.ok(!fs.existsSync(doc), 'no file written');
  });

  await t.test('the declaration details are saved on the product', async () => {
    await clickWhenReady(session, tid('nav-dashboard'));
    await clickWhenReady(session, `${tid('product-row')} ${tid('product-open')}`);
    await waitAttr(session, tid('screen'), 'data-screen', 'product');
    await clickWhenReady(session, `${tid('declaration-details')} summary`);
    await typeInto(session, tid('cra-standards'), 'EN 18031-1:2024');
    await typeInto(session, tid('cra-declaration-url'), 'https://acme.example/doc/p-2');
    await clickWhenReady(session, tid('cra-save'));
    await session.waitForCss(tid('cra-saved'), 15_000);
    await screenshot(session, 'cra-doc-details');
    const file = path.join(dir, 'export');
    cli('export', '--product', 'P-2', '--out', file);
    assert.match(fs.readFileSync(path.join(file, 'product.yaml'), 'utf8'), /EN 18031-1:2024/);
  });

  await t.test('signed, the declaration is written with every Annex V item', async () => {
    cli('sign', '--product', 'P-2', '--signatory', 'Grace Hopper', '--function', 'CTO', '--place', 'Cambridge', '--date', '2027-12-01', '--as', 'Ada');
    await clickWhenReady(session, tid('nav-reports'));
    await waitAttr(session, tid('screen'), 'data-screen', 'reports');
    await typeInto(session, tid('report-path'), doc);
    await clickWhenReady(session, tid('report-cra-doc'));
    await waitAttr(session, tid('report-done'), 'data-path', doc, 60_000);
    await screenshot(session, 'cra-doc-done');
    execFileSync('qpdf', ['--check', doc]);
    const text = execFileSync('pdftotext', [doc, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const item of cra.declaration_of_conformity.items) {
      assert.ok(text.includes(item.text.replace(/\s+/g, '')), `Annex V ${item.id} in the PDF`);
    }
    assert.ok(text.includes('supportuntil:March2031'));
    assert.ok(text.includes('https://acme.example/doc/p-2'));
    assert.deepEqual(await session.findAll(tid('error')), [], 'no error shown');
  });
});
