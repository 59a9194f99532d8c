// npm start — builds and packages the extension, installs the .vsix into a code-server running in a throwaway home,
// opens a fresh copy of demo/ and prints the URL. Ctrl-C stops everything it started and removes the home.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
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
const server = await CodeServer.start(home, { settings: { 'workbench.colorTheme': 'Default Light Modern' } }, port);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping code-server and removing the demo home');
  await server.stop();
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
console.log('[start] Press Ctrl-C to stop.');
