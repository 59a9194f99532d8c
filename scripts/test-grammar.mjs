// Snapshot test of the {ENC} injection grammar against the real INI grammar that ships inside code-server
// (VS Code's built-in `properties` language). Run scripts/prereqs.sh first; pass -u to update the snapshot.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ini = '.cache/code-server-4.100.3/node_modules/code-server/lib/vscode/extensions/ini/syntaxes/ini.tmLanguage.json';
if (!existsSync(ini)) {
  // The grammars ship inside code-server: install the prerequisites (idempotent) when they are not there yet.
  const r = spawnSync('bash', ['scripts/prereqs.sh'], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(ini)) {
    console.error(`[grammar] ${ini} is missing: run "bash scripts/prereqs.sh" first`);
    process.exit(2);
  }
}
const xml = '.cache/code-server-4.100.3/node_modules/code-server/lib/vscode/extensions/xml/syntaxes/xml.tmLanguage.json';
const runs = [
  ['-s', 'source.ini', '-g', ini, '-g', 'syntaxes/enc.injection.tmLanguage.json', ...process.argv.slice(2), 'test/grammar/*.properties'],
  ['-s', 'text.xml', '-g', xml, '-g', 'syntaxes/xml.injection.tmLanguage.json', ...process.argv.slice(2), 'test/grammar/*.xml'],
];
for (const args of runs) {
  const r = spawnSync('node_modules/.bin/vscode-tmgrammar-snap', args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
