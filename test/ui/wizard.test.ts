import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { Workbench } from './workbench';

describe('UI: the wizard through the real command palette', function () {
  this.timeout(180_000);
  let wb: Workbench;
  const secrets = new LocalSecretsManager();

  before(async () => {
    await secrets.start();
    secrets.seed({
      name: 'ui/wizard-kv',
      secretString: JSON.stringify({ username: 'bitbucket', password: 'not-shown-anywhere' }),
      description: 'UI test secret',
    });
    wb = await Workbench.open(secrets.env());
  });

  after(async () => {
    if (wb) await wb.close();
    await secrets.close();
  });

  it('runs the command, picks by typing at every step, and writes the file', async () => {
    const page = wb.page;
    await wb.openFile('wizard/shared/bitbucket.properties');
    await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
    const input = page.locator('.quick-input-widget input');
    const title = page.locator('.quick-input-widget .quick-input-title');
    const choose = async (step: number, typed: string, rowText: string | RegExp) => {
      await title.filter({ hasText: `(step ${step}/5)` }).waitFor({ timeout: 20_000 });
      await input.fill(typed);
      const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText });
      await row.waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
    };
    await choose(1, 'wizard', 'bitbucket.properties');
    await choose(2, 'sydney', 'ap-southeast-2');
    await choose(3, 'ui/wizard', 'ui/wizard-kv');
    await choose(4, 'key', 'Key/value');
    await title.filter({ hasText: '(step 4/5)' }).waitFor();
    await choose(4, 'password', /^password/);
    await title.filter({ hasText: '(step 5/5)' }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'jdbc.password={ENC}' }).waitFor();
    await wb.screenshot('wizard-review');
    await choose(5, '', 'Apply');
    const file = path.join(wb.workspace, 'wizard', 'shared', 'bitbucket.properties');
    let text = '';
    for (let i = 0; i < 100 && !text.includes('{ENC}'); i++) {
      await page.waitForTimeout(100);
      text = fs.readFileSync(file, 'utf8');
    }
    assert.match(text, /^encrypted-property\.cipher\.classname=com\.atlassian\.secrets\.store\.aws\.AwsSecretsManagerStore$/m);
    assert.match(text, /^jdbc\.password=\{ENC\}\{"region":"ap-southeast-2","secretId":"ui\/wizard-kv","secretPointer":"\/password"\}$/m);
    assert.ok(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('bitbucket.properties.bak-')));
    await page.locator('.notifications-toasts', { hasText: 'Restart Bitbucket' }).waitFor({ timeout: 20_000 });
    assert.ok(!(await page.locator('.monaco-workbench').innerText()).includes('not-shown-anywhere'));
  });
});
