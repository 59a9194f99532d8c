import * as assert from 'assert';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { Workbench } from './workbench';

describe('UI: Restricted Mode (untrusted workspace)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  const secrets = new LocalSecretsManager();

  before(async () => {
    await secrets.start();
    secrets.seed({ name: 'bitbucket/prod/db', secretString: JSON.stringify({ password: 'x' }) });
    wb = await Workbench.open(secrets.env(), { workspaceTrust: true });
  });

  after(async () => {
    if (wb) await wb.close();
    await secrets.close();
  });

  it('validates, but offers no verify and sends nothing', async () => {
    const page = wb.page;
    await page.locator('.statusbar', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await wb.openFile('shared/bitbucket.properties');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 20_000 });
    await wb.openFile('verify/bitbucket.properties');
    await page.waitForTimeout(2000);
    assert.strictEqual(await page.locator('.codelens-decoration', { hasText: 'Verify secret' }).count(), 0);
    assert.strictEqual(secrets.calls.get('GetSecretValue') ?? 0, 0);
  });
});
