import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { parseProfiles, profileChoices } from '../../src/core/awsConfig/profiles';
import { awsCliCheckCommand, iamPolicy, quotePosix, quotePowerShell } from '../../src/core/verify/awsCommands';
import { evaluatePointer, pointerForKey } from '../../src/core/stores/jsonPointer';
import { restartChecklist } from '../../src/core/verify/checklist';
import { PRODUCTS } from '../../src/core/model/products';
import { foundLines, identityLabel, whoLabel } from '../../src/core/verify/identity';

type Policy = { Statement: Array<Record<string, unknown>> };

describe('helpers for the admin', () => {
  it('quotes the AWS CLI check for POSIX shells: the shell hands the exact secret id to the CLI', () => {
    const id = 'it\'s a $ecret; `rm -rf` "x"';
    const cmd = awsCliCheckCommand({ region: 'ap-southeast-2', secretId: id }, 'posix');
    assert.strictEqual(cmd.split(' --secret-id ')[0], 'aws secretsmanager get-secret-value');
    assert.match(cmd, / --query ARN --output text$/, 'prints the ARN, not the value');
    // Let a real shell parse the quoted word and print it back.
    const echoed = execFileSync('sh', ['-c', `printf %s ${quotePosix(id)}`], { encoding: 'utf8' });
    assert.strictEqual(echoed, id);
    assert.strictEqual(quotePosix('bitbucket/prod/db'), 'bitbucket/prod/db');
  });

  it('quotes for PowerShell by doubling single quotes', () => {
    assert.strictEqual(quotePowerShell("a'b c"), "'a''b c'");
    assert.match(
      awsCliCheckCommand({ region: 'eu-west-1', secretId: 'x y', endpointOverride: 'https://vpce.example' }, 'powershell'),
      /--secret-id 'x y' --region eu-west-1 --endpoint-url https:\/\/vpce\.example/,
    );
  });

  it('builds a least-privilege IAM policy, with kms:Decrypt and kms:ViaService for a customer-managed key', () => {
    const plain = JSON.parse(iamPolicy({ region: 'eu-west-1', secretId: 'db' })) as Policy;
    assert.deepStrictEqual(plain.Statement, [
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:*:secret:db-??????' },
    ]);
    const cmk = JSON.parse(
      iamPolicy({ region: 'eu-west-1', secretId: 'db', arn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf', kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k' }),
    ) as Policy;
    assert.strictEqual(cmk.Statement[0].Resource, 'arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf');
    assert.deepStrictEqual(cmk.Statement[1], {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: 'arn:aws:kms:eu-west-1:1:key/k',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });

  it('escapes keys as RFC 6901 pointers and evaluates them like Jackson', () => {
    assert.strictEqual(pointerForKey('pass/word~1'), '/pass~1word~01');
    const doc = { 'pass/word~1': 'x', arr: ['a', 'b'], n: 5, o: {} };
    assert.deepStrictEqual(evaluatePointer(doc, pointerForKey('pass/word~1')), { found: true, text: 'x', kind: 'string' });
    assert.deepStrictEqual(evaluatePointer(doc, '/arr/1'), { found: true, text: 'b', kind: 'string' });
    assert.strictEqual(evaluatePointer(doc, '/arr/01').found, false);
    assert.deepStrictEqual(evaluatePointer(doc, 'n'), { found: true, text: '5', kind: 'number' });
    assert.deepStrictEqual(evaluatePointer(doc, '/o'), { found: true, text: '', kind: 'object' });
  });

  it('reads profile names from ~/.aws/config and ~/.aws/credentials', () => {
    const profiles = parseProfiles(
      '[default]\nregion = eu-west-1\n[profile sso-dev]\nsso_session = corp\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://x\n',
      '[default]\naws_access_key_id = A\n[ci]\naws_access_key_id = B\n',
    );
    assert.deepStrictEqual(profiles, [
      { name: 'default', region: 'eu-west-1', kind: 'keys', sources: ['config', 'credentials'] },
      { name: 'ci', region: undefined, kind: 'keys', sources: ['credentials'] },
      { name: 'sso-dev', region: 'us-east-1', kind: 'sso', sources: ['config'] },
    ]);
  });

  it('the profile picker marks the current choice (a check, "current", the active row) and only it', () => {
    const profiles = parseProfiles('[profile sso-dev]\nsso_session = corp\nregion = us-east-1\n', '[ci]\naws_access_key_id = B\n');
    const rows = profileChoices(profiles, 'sso-dev');
    assert.deepStrictEqual(
      rows.map((r) => [r.label, r.description, r.current]),
      [
        ['$(debug-restart) Default credential chain', 'environment, SSO, web identity, files, container, instance role', false],
        ['ci', 'keys', false],
        ['$(check) sso-dev', 'current · sso · us-east-1', true],
      ],
    );
    const chain = profileChoices(profiles, '');
    assert.deepStrictEqual(
      chain.filter((r) => r.current).map((r) => r.label),
      ['$(check) $(debug-restart) Default credential chain'],
    );
    assert.match(chain[0].description, /^current · /);
  });
});

describe('caller identity labels (core/verify/identity)', () => {
  it('names roles, users and root shortly, with the account after "in"', () => {
    assert.strictEqual(identityLabel('arn:aws:sts::123456789012:assumed-role/BitbucketRole/i-0abc'), 'role BitbucketRole (session i-0abc)');
    assert.strictEqual(identityLabel('arn:aws:iam::123456789012:user/ops/alice'), 'user alice');
    assert.strictEqual(identityLabel('arn:aws:iam::123456789012:root'), 'root');
    assert.strictEqual(identityLabel('arn:aws-cn:sts::123456789012:federated-user/bob'), 'federated user bob');
    assert.strictEqual(identityLabel('not an arn'), 'not an arn');
    assert.strictEqual(
      whoLabel('instance role', { arn: 'arn:aws:sts::123456789012:assumed-role/R/i-1', account: '123456789012' }),
      'role R (session i-1) in 123456789012 (instance role)',
    );
    assert.strictEqual(whoLabel('environment', undefined), 'environment');
  });

  it('keeps the chain messages short, first lines only, without repeats', () => {
    const lines = foundLines(['a\nstack', 'a', '', 'b'.repeat(300), 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    assert.deepStrictEqual(lines.slice(0, 2), ['a', `${'b'.repeat(199)}…`]);
    assert.strictEqual(lines.length, 8);
  });
});

describe('the restart checklist (core/verify/checklist)', () => {
  it("says where each product's file is, the backup to move, the check on the server and the log message", () => {
    const bitbucket = restartChecklist({
      kind: { profile: PRODUCTS.bitbucket, format: 'properties', source: 'name' },
      fileName: 'bitbucket.properties',
      backup: 'bitbucket.properties.bak-20261206-160000',
      cliCheck: 'aws x',
    });
    assert.deepStrictEqual(bitbucket, [
      '1. On the server, as the user Bitbucket runs as, check the secret resolves there: aws x',
      '2. Move the backup bitbucket.properties.bak-20261206-160000 off the instance: it holds the plaintext password.',
      '3. Restart Bitbucket on every node of a cluster (the file is in the shared home).',
      '4. In the log, "Problem when getting the secret value" means the product could not read the secret: start from the verify result.',
    ]);
    const jira = restartChecklist({ kind: { profile: PRODUCTS.jira, format: 'xml', source: 'name' }, fileName: 'dbconfig.xml' });
    assert.strictEqual(jira.length, 2);
    assert.match(jira[0], /^1\. Restart Jira on every node, each with its own dbconfig\.xml\.$/);
  });
});
