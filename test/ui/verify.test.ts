import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../harness/codeServer';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { Workbench } from './workbench';

describe('UI: clicking "Verify secret" in the browser', function () {
  this.timeout(180_000);
  let wb: Workbench;
  const secrets = new LocalSecretsManager();
  const canary = `CANARY-UI-${crypto.randomBytes(8).toString('hex')}`;

  before(async () => {
    await secrets.start();
    secrets.seed({ name: 'bitbucket/prod/db', secretString: JSON.stringify({ password: canary, username: 'bitbucket' }) });
    wb = await Workbench.open(secrets.env());
  });

  after(async () => {
    if (wb) await wb.close();
    await secrets.close();
  });

  it('resolves the secret and shows the result in the lens, never the value', async () => {
    await wb.openFile('verify/bitbucket.properties');
    const page = wb.page;
    const lens = page
      .locator('.contentWidgets .codelens-decoration a, .view-lines .codelens-decoration a, .codelens-decoration a', { hasText: 'Verify secret' })
      .first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    const resolved = page.locator('.codelens-decoration', { hasText: 'Resolved' }).first();
    await resolved.waitFor({ timeout: 30_000 });
    const text = await resolved.innerText();
    assert.match(text, new RegExp(`Resolved · key/value · /password · \\d\\d:\\d\\d`));
    const shot = await wb.screenshot('verify-lens');
    if (process.env.ENCPROPS_UPDATE_SCREENSHOT === '1') fs.copyFileSync(shot, path.join(ROOT, 'media', 'verify-lens.png'));
    const everything = await page.locator('.monaco-workbench').innerText();
    assert.ok(!everything.includes(canary), 'the value appears nowhere on screen');
  });
});
