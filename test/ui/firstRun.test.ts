import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalSecretsManager, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from '../support/localSecretsManager';
import { Workbench } from './workbench';

/**
 * A new user's first run through the real workbench: the walkthrough that opens by itself, the wizard without
 * credentials, the region that is never chosen silently, the check that refuses a reference that will not resolve, the
 * walkthrough's buttons and ticks, the credential item after a profile change.
 */
describe('UI: first run, without and with credentials', function () {
  this.timeout(240_000);
  const secrets = new LocalSecretsManager();
  let wb: Workbench | undefined;

  before(async () => {
    await secrets.start();
    secrets.seed({ name: 'ui/plain', secretString: 'plain-text-not-shown' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    if (wb) await wb.close();
    await secrets.close();
  });

  it('without credentials: the walkthrough opens once by itself (not after a reload); the wizard starts with the credentials page; the item warns', async () => {
    wb = await Workbench.open(
      { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint, AWS_ENDPOINT_URL_STS: secrets.endpoint, AWS_EC2_METADATA_DISABLED: 'true' },
      { settings: { 'encryptedProperties.walkthrough.openOnFirstRun': true } },
    );
    const page = wb.page;
    // The workspace holds product files: the walkthrough opened on the first activation, in Atlassian's order.
    const steps = page.locator('button.getting-started-step');
    await steps.first().waitFor({ timeout: 60_000 });
    const titles = await page.locator('button.getting-started-step h3.step-title').allInnerTexts();
    assert.deepStrictEqual(
      titles.filter((t) => /^\d\. /.test(t)),
      [
        '1. Create your secret',
        '2. Check the permissions',
        '3. Authenticate to AWS',
        '4. Confirm you can retrieve the secret',
        '5. Add the secret to the configuration file',
        '6. Restart the product',
      ],
    );
    assert.strictEqual(await page.locator('[data-done-step-id][aria-checked="true"]').count(), 0, 'nothing is ticked before it is done');
    await wb.screenshot('walkthrough-first-run');
    // Once: after a reload (the editors closed, so nothing is restored), the log says it was not opened again.
    await wb.runCommand('View: Close All Editors');
    await page.locator('.tab', { hasText: 'Walkthrough' }).waitFor({ state: 'detached', timeout: 20_000 });
    await wb.load();
    // The extension is active again once its credential item shows in a product file; then its commands are there.
    await wb.openFile('wizard/shared/bitbucket.properties');
    await wb.credentialItem('AWS: default chain');
    await wb.runCommand('Encrypted Properties: Show Log');
    await page.locator('.part.panel', { hasText: 'walkthrough: opened on an earlier run, not again' }).waitFor({ timeout: 60_000 });
    assert.strictEqual(await page.locator('.tab', { hasText: 'Walkthrough' }).count(), 0);

    await wb.openFile('wizard/shared/bitbucket.properties');
    await wb.credentialItem('AWS: default chain');
    await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
    const credentials = await wb.quickInput('Configure AWS Secrets Manager password: AWS credentials');
    assert.match(credentials.placeholder, /No usable AWS credentials \(default chain\)/);
    assert.match(credentials.focused, /Check again/, 'Enter checks again');
    // How to get credentials here, in words, first; the SDK's own lines are folded into one row.
    assert.ok(
      credentials.rows.some((r) => /Environment variables/.test(r) && /The profile setting/.test(credentials.rows.join(' | '))),
      `how to get credentials: ${credentials.rows.join(' | ')}`,
    );
    assert.ok(
      credentials.rows.some((r) => /What the credential chain tried here \(\d+\)/.test(r)),
      `the folded row: ${credentials.rows.join(' | ')}`,
    );
    assert.ok(!credentials.rows.some((r) => /sso login|@aws-sdk|Unable to find/.test(r)), 'no SSO login without an SSO profile; no SDK wording on the page');
    await wb.screenshot('wizard-no-credentials');
    // The list is longer than the screen: type to find the chain's last link and the way on without credentials.
    const input = page.locator('.quick-input-widget input');
    for (const [typed, row] of [
      ['instance profile', /6\. EC2 instance profile/],
      ['continue without', /Continue without credentials/],
      ['how the product', /How the product finds credentials on the server/],
    ] as const) {
      await input.fill(typed);
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: row }).waitFor({ timeout: 20_000 });
    }
    await input.fill('');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: /Check again/ }).waitFor({ timeout: 20_000 });
    // Checking again without a change shows the same page (in place), and the item warns.
    await page.keyboard.press('Enter');
    await wb.quickInput('Configure AWS Secrets Manager password: AWS credentials');
    await page.keyboard.press('Escape');
    assert.match(await wb.credentialItem('AWS: no credentials'), /no credentials \(default chain\)/);
    await wb.close();
    wb = undefined;
  });

  it('with credentials: no silent region, refusals before writing, the walkthrough ticks on success, the item follows the profile', async () => {
    const awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-ui-aws-'));
    const credentialsFile = path.join(awsDir, 'credentials');
    fs.writeFileSync(credentialsFile, `[ops]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`);
    const env: NodeJS.ProcessEnv = { ...secrets.env(), AWS_SHARED_CREDENTIALS_FILE: credentialsFile };
    delete env.AWS_REGION;
    if (wb) await wb.close();
    wb = await Workbench.open(env);
    const page = wb.page;
    const input = page.locator('.quick-input-widget input');
    const enter = async (typed: string, row: string | RegExp) => {
      await input.fill(typed);
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: row }).waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
    };
    try {
      await wb.openFile('wizard/shared/bitbucket.properties');
      await wb.credentialItem('AWS:'); // the extension is active
      await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
      const target = await wb.quickInput('(step 1/5)');
      assert.ok(target.rows.length > 0);
      await page.locator('.quick-input-title', { hasText: /as user encprops-test in 123456789012 \(environment\)/ }).waitFor();
      await enter('wizard/shared', 'bitbucket.properties');

      // The region: nothing preselected without a reason; Enter on the hint asks again.
      const region = await wb.quickInput('(step 2/5)');
      assert.match(region.focused, /No region preselected/);
      await page.keyboard.press('Enter');
      assert.match((await wb.quickInput('(step 2/5)')).focused, /No region preselected/);
      await enter('sydney', 'ap-southeast-2');

      // A missing secret: the check refuses, Enter goes back to the shape step.
      await wb.quickInput('(step 3/5)');
      await enter('type a secret', 'Type a secret name or ARN');
      await page.locator('.quick-input-message', { hasText: 'Secret name or full ARN' }).waitFor({ timeout: 20_000 });
      await input.fill('ui/missing');
      await page.keyboard.press('Enter');
      await wb.quickInput('(step 4/5)');
      await enter('plain', 'Plaintext');
      const refused = await wb.quickInput('(step 5/5)');
      assert.match(refused.placeholder, /would not resolve this reference: No secret "ui\/missing" in ap-southeast-2/);
      assert.match(refused.focused, /Go back and change it/);
      await wb.screenshot('wizard-refuses-missing-secret');
      await page.keyboard.press('Enter');
      const shape = await wb.quickInput('(step 4/5)');
      assert.match(shape.placeholder, /What does the secret look like/);

      // A pointer into a plaintext secret: the check offers the whole secret instead.
      await page.keyboard.press('Escape');
      await wb.runCommand('Encrypted Properties: Configure AWS Secrets Manager Password');
      await wb.quickInput('(step 1/5)');
      await enter('wizard/shared', 'bitbucket.properties');
      await wb.quickInput('(step 2/5)');
      await enter('sydney', 'ap-southeast-2');
      await wb.quickInput('(step 3/5)');
      await enter('ui/plain', 'ui/plain');
      await wb.quickInput('(step 4/5)');
      await enter('key', 'Key/value');
      await page.locator('.quick-input-message', { hasText: 'JSON pointer to the password' }).waitFor({ timeout: 20_000 });
      await input.fill('/password');
      await page.keyboard.press('Enter');
      const mismatch = await wb.quickInput('(step 5/5)');
      assert.match(mismatch.placeholder, /not key\/value JSON/);
      assert.ok(mismatch.rows.some((r) => /Use the whole secret/.test(r)));
      await page.keyboard.press('Escape');
      assert.doesNotMatch(fs.readFileSync(path.join(wb.workspace, 'wizard', 'shared', 'bitbucket.properties'), 'utf8'), /\{ENC\}/, 'nothing written');

      // The walkthrough: a button acts on the workspace's file from the walkthrough page, and its step is ticked on success.
      await wb.runCommand('Encrypted Properties: Get Started: Move the Database Password to AWS Secrets Manager');
      const done = (id: string) => page.locator(`[data-done-step-id$="#${id}"]`);
      // The wizard's credential check above ticked step 3 (done anywhere counts); nothing else was done yet.
      await page.locator('[data-done-step-id$="#authenticate"][aria-checked="true"]').waitFor({ timeout: 30_000 });
      for (const id of ['createSecret', 'permissions', 'confirm', 'addToFile', 'restart'])
        assert.strictEqual(await done(id).getAttribute('aria-checked'), 'false', id);
      // A button shows its result, acting from the walkthrough page (no text editor is active).
      await page.locator('button.getting-started-step[data-step-id$="#authenticate"]').click();
      await page.locator('.step-description-container .monaco-button', { hasText: 'Check AWS credentials' }).first().click();
      await page.locator('.notifications-toasts', { hasText: 'verifying runs as user encprops-test' }).waitFor({ timeout: 30_000 });
      // The last step is ticked once its button succeeded: it asks which of the workspace's files, then copies.
      // The walkthrough page can take the focus back while it re-renders a ticked step, which closes the file picker
      // (the command then copies nothing): that is VS Code's race, not ours, so the button is pressed a second time.
      const copied = page.locator('.notifications-toasts', { hasText: 'Restart checklist for Bitbucket copied' });
      for (let attempt = 1; ; attempt++) {
        await page.locator('button.getting-started-step[data-step-id$="#restart"]').click();
        await page.locator('.step-description-container .monaco-button', { hasText: 'Copy restart checklist' }).first().click();
        await wb.quickInput('Which file to restart with?');
        await enter('wizard/shared', 'bitbucket.properties');
        const shown = await copied.waitFor({ timeout: attempt === 1 ? 15_000 : 30_000 }).then(
          () => true,
          (e: unknown) => {
            if (attempt === 2) throw e;
            return false;
          },
        );
        if (shown) break;
        console.log('      (the restart checklist was not copied: the picker closed; attempt 2)');
      }
      await page.locator('[data-done-step-id$="#restart"][aria-checked="true"]').waitFor({ timeout: 30_000 });
      assert.strictEqual(await done('createSecret').getAttribute('aria-checked'), 'false');
      await wb.screenshot('walkthrough-ticked');

      // The credential item follows a profile change. The walkthrough page is closed first: while it is open, it takes
      // the focus back when it re-renders its ticked steps, which closes Quick Open.
      // It is closed with its tab's close button, which needs no focus.
      const walkthroughTab = page.locator('.tab', { hasText: 'Walkthrough' });
      await walkthroughTab.hover();
      await walkthroughTab.locator('.tab-actions .action-label').first().click();
      await walkthroughTab.waitFor({ state: 'detached', timeout: 20_000 });
      await wb.openFile('wizard/shared/bitbucket.properties');
      await wb.credentialItem(/AWS: user encprops-test \(environment\)/);
      await wb.runCommand('Encrypted Properties: Select AWS Profile');
      await wb.quickInput('AWS profile for verifying secrets');
      await enter('ops', /^ops/);
      await wb.credentialItem('AWS: profile ops');
    } finally {
      fs.rmSync(awsDir, { recursive: true, force: true });
    }
  });
});
