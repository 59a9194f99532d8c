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
    await choose(1, 'wizard/shared', 'bitbucket.properties');
    await choose(2, 'sydney', 'ap-southeast-2');
    await choose(3, 'ui/wizard', 'ui/wizard-kv');
    await choose(4, 'key', 'Key/value');
    await title.filter({ hasText: '(step 4/5)' }).waitFor();
    await choose(4, 'password', /^password/);
    await title.filter({ hasText: '(step 5/5)' }).waitFor();
    // The review: each line's setting, then its value one JSON member per row, so that nothing is cut off.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'jdbc.password = {ENC} + JSON' }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '"secretId": "ui/wizard-kv"' }).waitFor();
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
    // The finish stays until answered: the verify result, the checklist, and the backup that holds the plaintext.
    const finish = page.locator('.monaco-dialog-box', { hasText: 'Restart Bitbucket (every node) to apply' });
    await finish.waitFor({ timeout: 30_000 });
    assert.match(await finish.innerText(), /Verify: Resolved · key\/value · \/password/);
    assert.match(await finish.innerText(), /holds the old file, with the plaintext password/);
    await wb.screenshot('wizard-finish');
    // Move Backup…: a save dialog, outside the workspace; none is left beside the file.
    await finish.locator('.monaco-button', { hasText: 'Move Backup' }).click();
    const moved = path.join(wb.home, 'moved-backup.properties');
    const input2 = page.locator('.quick-input-widget input');
    await input2.waitFor({ state: 'visible', timeout: 20_000 });
    // The save dialog starts in the home folder, named after the backup; the user types another name there.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Move the backup' }).waitFor({ timeout: 20_000 });
    for (let i = 0; i < 100 && !(await input2.inputValue()).includes('bitbucket.properties.bak-'); i++) await page.waitForTimeout(100);
    await input2.fill(moved);
    await wb.screenshot('wizard-move-backup');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 100 && !fs.existsSync(moved); i++) await page.waitForTimeout(100);
    assert.ok(fs.existsSync(moved), 'the backup was moved where the save dialog said');
    assert.ok(!fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('bitbucket.properties.bak-')));
    await page.locator('.notifications-toasts', { hasText: 'Backup moved to' }).waitFor({ timeout: 20_000 });
    // The finish comes back with the checklist (no backup buttons now) and closes with Done, not Cancel.
    const again = page.locator('.monaco-dialog-box', { hasText: 'Restart Bitbucket (every node) to apply' });
    await again.waitFor({ timeout: 20_000 });
    assert.strictEqual(await again.locator('.monaco-button', { hasText: 'Move Backup' }).count(), 0);
    assert.strictEqual(await again.locator('.monaco-button', { hasText: 'Cancel' }).count(), 0);
    await again.locator('.monaco-button', { hasText: 'Done' }).click();
    // The file is open at the edited lines, with the result in the lens; the preview of the changes is closed.
    await page.locator('.codelens-decoration', { hasText: 'Resolved · key/value · /password' }).first().waitFor({ timeout: 30_000 });
    assert.strictEqual(await page.locator('.tab', { hasText: 'after the wizard (preview)' }).count(), 0);
    assert.ok(!(await page.locator('.monaco-workbench').innerText()).includes('not-shown-anywhere'));
  });
});
