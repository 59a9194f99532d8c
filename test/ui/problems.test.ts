import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../harness/codeServer';
import { Workbench } from './workbench';

describe('UI: what a person sees in the browser', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    if (wb) await wb.close();
  });

  it('shows the broken {ENC} JSON of bitbucket.properties in the Problems panel', async () => {
    await wb.openFile('shared/bitbucket.properties');
    const page = wb.page;
    // The squiggle is drawn in the editor…
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 20_000 });
    // …and the Problems panel names the problem, its code and its position.
    let rows: string[] = [];
    for (let i = 0; i < 40 && !rows.some((r) => r.includes('enc-json-syntax')); i++) {
      rows = await wb.problems();
      if (!rows.some((r) => r.includes('enc-json-syntax'))) await page.waitForTimeout(250);
    }
    const row = rows.find((r) => r.includes('enc-json-syntax'));
    assert.ok(row, `Problems panel rows: ${JSON.stringify(rows)}`);
    assert.match(row, /comma expected between properties/);
    assert.match(row, /\[Ln 12, Col 42\]/);
    await wb.screenshot('problems-panel');
  });

  it('lists every mistake of the demo file in the Problems panel (the README screenshot)', async () => {
    // The demo's mistakes are on jdbc.password itself, each in a folder of its own (no unrelated warning beside them).
    await wb.openFile('demo/typo/shared/bitbucket.properties');
    const page = wb.page;
    let rows: string[] = [];
    const codesOf = (all: string[]) =>
      all.map((r) => /Encrypted Properties\s*\(?([a-z-]+)\)?/.exec(r)?.[1]).filter((c) => c !== undefined && c !== 'enc-json-syntax');
    for (let i = 0; i < 40 && codesOf(rows).length < 3; i++) {
      rows = await wb.problems();
      await page.waitForTimeout(250);
    }
    // A row reads "<message> Encrypted Properties <code> [Ln l, Col c]"; the fixture file opened earlier adds its own.
    assert.deepStrictEqual(codesOf(rows).sort(), ['aws-pointer-no-slash', 'aws-region-unknown', 'aws-unknown-key']);
    await wb.goTo(10, 50);
    await wb.runCommand('Show or Focus Hover');
    await page.locator('.monaco-hover', { hasText: 'secretID' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(800); // let the hover finish fading in for the picture
    const shot = await wb.screenshot('demo');
    if (process.env.ENCPROPS_UPDATE_SCREENSHOT === '1') fs.copyFileSync(shot, path.join(ROOT, 'media', 'screenshot.png'));
  });

  it('applies a quick fix from the light bulb menu and the file on disk changes', async () => {
    await wb.openFile('quickfix/bitbucket.properties');
    const page = wb.page;
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 20_000 });
    // Put the cursor inside "secretID" (line 2) and open the quick fix menu, as with Ctrl+.
    await wb.goTo(2, 45);
    await wb.runCommand('Quick Fix...');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Rename "secretID" to "secretId"' });
    await item.waitFor({ timeout: 15_000 }).catch(async (e) => {
      await wb.screenshot('quick-fix-menu-missing');
      throw e;
    });
    await wb.screenshot('quick-fix-menu');
    // The menu is keyboard-driven (a pointer block covers it): move the focus to our fix and accept it.
    for (let i = 0; i < 10; i++) {
      const focused = await page
        .locator('.action-widget .monaco-list-row.focused')
        .innerText()
        .catch(() => '');
      if (focused.includes('Rename "secretID" to "secretId"')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await wb.runCommand('File: Save');
    const file = path.join(wb.workspace, 'quickfix', 'bitbucket.properties');
    let text = '';
    for (let i = 0; i < 50 && !text.includes('"secretId"'); i++) {
      await page.waitForTimeout(100);
      text = fs.readFileSync(file, 'utf8');
    }
    assert.strictEqual(text.split('\n')[1], 'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/prod/db","secretPointer":"/password"}');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});
