/**
 * The wizard in the browser on a Jira Compose file, as a new user runs it (#22): with credentials, the new secret's
 * default name is the product's (`jira/database`), the step count is true, and the finish offers ATL_FORCE_CFG_UPDATE;
 * without credentials, no path that cannot work (no "Create a new secret").
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { Workbench } from './workbench';

describe('UI: the wizard on a Jira Compose file', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  const secrets = new LocalSecretsManager();

  before(() => secrets.start());

  afterEach(async () => {
    if (wb) await wb.close();
    wb = undefined;
  });

  after(() => secrets.close());

  it('creates the secret under the default name jira/database, writes the service, and offers ATL_FORCE_CFG_UPDATE', async () => {
    wb = await Workbench.open(secrets.env());
    const page = wb.page;
    const input = page.locator('.quick-input-widget input');
    const title = page.locator('.quick-input-widget .quick-input-title');
    const choose = async (step: string, typed: string, rowText: string | RegExp) => {
      await title.filter({ hasText: `(step ${step})` }).waitFor({ timeout: 20_000 });
      await input.fill(typed);
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
    };
    const accept = async (step: string, expected: string) => {
      await title.filter({ hasText: `(step ${step})` }).waitFor({ timeout: 20_000 });
      for (let i = 0; i < 100 && (await input.inputValue()) !== expected; i++) await page.waitForTimeout(100);
      assert.strictEqual(await input.inputValue(), expected, `step ${step}`);
      await page.keyboard.press('Enter');
    };
    await wb.openFile('containers/jira-compose.yml');
    await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
    await choose('1/5', 'jira-compose', 'jira-compose.yml');
    await choose('2/5', 'sydney', 'ap-southeast-2');
    await choose('3/5', 'create', 'Create a new secret');
    await accept('4/8', 'jira/database');
    await wb.screenshot('wizard-jira-default-name');
    await choose('5/8', 'key', 'Key/value');
    await accept('6/8', '');
    await accept('7/8', 'Jira database password');
    await choose('8/8', '', 'Apply');
    const finish = page.locator('.monaco-dialog-box', { hasText: 'Redeploy Jira to apply' });
    await finish.waitFor({ timeout: 30_000 });
    await wb.screenshot('wizard-jira-finish');
    await finish.locator('.monaco-button', { hasText: 'Set ATL_FORCE_CFG_UPDATE=true' }).click();
    const file = path.join(wb.workspace, 'containers', 'jira-compose.yml');
    let text = '';
    for (let i = 0; i < 100 && !text.includes('ATL_FORCE_CFG_UPDATE'); i++) {
      await page.waitForTimeout(100);
      text = fs.readFileSync(file, 'utf8');
    }
    assert.match(text, /ATL_JDBC_PASSWORD: '\{"region":"ap-southeast-2","secretId":"jira\/database","secretPointer":"\/password"\}'/);
    assert.match(text, /ATL_JDBC_SECRET_CLASS: 'com\.atlassian\.secrets\.store\.aws\.AwsSecretsManagerStore'/);
    assert.match(text, /ATL_FORCE_CFG_UPDATE: 'true'/);
    assert.match(text, /POSTGRES_PASSWORD: postgres-only/);
    assert.ok(secrets.calls.get('CreateSecret'), 'the secret was created');
  });

  it('without credentials: the credentials page, then no "Create a new secret" on the Jira file', async () => {
    wb = await Workbench.open({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_STS: secrets.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const page = wb.page;
    const input = page.locator('.quick-input-widget input');
    await wb.openFile('containers/jira-compose.yml');
    await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
    await wb.quickInput('AWS credentials');
    await input.fill('continue without');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Continue without credentials' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await wb.quickInput('(step 1/5)');
    await input.fill('jira-compose');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'jira-compose.yml' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await wb.quickInput('(step 2/5)');
    await input.fill('sydney');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'ap-southeast-2' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const secretStep = await wb.quickInput('(step 3/5)');
    await wb.screenshot('wizard-jira-no-credentials');
    assert.ok(!secretStep.rows.some((r) => /Create a new secret/.test(r)), secretStep.rows.join(' | '));
    assert.ok(secretStep.rows.some((r) => /Type a secret name or ARN/.test(r)));
    await page.keyboard.press('Escape');
  });
});
