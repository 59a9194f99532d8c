// npm start — builds and packages the extension, installs the .vsix into a code-server running in a throwaway home,
// opens a fresh copy of demo/ and prints the URL. Ctrl-C stops everything it started and removes the home.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('bash', ['scripts/prereqs.sh']);
run('npm', ['run', '--silent', 'typecheck']);
run('npm', ['run', '--silent', 'package']);
const { version, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${name}-${version}.vsix`);
if (!existsSync(vsix)) {
  console.error(`[start] ${vsix} was not produced`);
  process.exit(1);
}

const harness = await import(join(root, 'out/test/harness/codeServer.js'));
const { CodeServer, removeHome } = harness.default ?? harness;
const sm = await import(join(root, 'out/test/support/localSecretsManager.js'));
const { LocalSecretsManager } = sm.default ?? sm;

// A local Secrets Manager with the demo's secrets, so "Verify secret" works without an AWS account.
const secrets = await new LocalSecretsManager().start();
const demoPassword = randomBytes(12).toString('base64url');
secrets.seed({
  name: 'bitbucket/prod/db',
  region: 'ap-southeast-2',
  secretString: JSON.stringify({ username: 'bitbucket', password: demoPassword }),
  description: 'Bitbucket database (demo)',
});
secrets.seed({ name: 'bitbucket/prod/mail', region: 'ap-southeast-2', secretString: JSON.stringify({ password: randomBytes(9).toString('base64url') }) });
secrets.seed({ name: 'bitbucket/staging/db', region: 'ap-southeast-2', secretString: randomBytes(12).toString('base64url'), rotationEnabled: true });

async function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

const home = CodeServer.makeHome('encprops-demo-');
const workspace = join(home, 'demo');
cpSync(join(root, 'demo'), workspace, { recursive: true });
CodeServer.installVsix(home, vsix);
const port = await freePort(Number(process.env.ENCPROPS_PORT ?? 8080));
mkdirSync(join(home, '.aws'), { recursive: true });
writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = ap-southeast-2\n');
writeFileSync(join(home, '.aws', 'credentials'), '');
const server = await CodeServer.start(
  home,
  {
    env: { ...secrets.env(), AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials') },
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'encryptedProperties.walkthrough.openOnFirstRun': true },
  },
  port,
);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping code-server and removing the demo home');
  await server.stop();
  await secrets.close();
  removeHome(home);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
server.onExit((code) => {
  if (!stopping) {
    console.error(`[start] code-server exited (${code})`);
    void stop(1);
  }
});

console.log('');
console.log(`[start] Encrypted Properties ${version} (the packaged .vsix) is installed in code-server ${harness.CODE_SERVER_VERSION} (VS Code 1.100).`);
console.log(`[start] Open this URL in your browser:\n\n    ${server.workbenchUrl(workspace)}\n`);
console.log(`[start] A local Secrets Manager at ${secrets.endpoint} holds the demo secrets (bitbucket/prod/db, …):`);
console.log('[start] click "Verify secret" above jdbc.password in shared/bitbucket.properties.');
console.log('[start] Press Ctrl-C to stop.');
