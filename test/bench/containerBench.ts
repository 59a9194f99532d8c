/**
 * Budgets: a 10,000-line Compose file and a 10,000-line Kubernetes manifest read and validated in at most 1.5× the yaml
 * library's parse of the same text; scanning a repository with 1,000 unrelated YAML files adds under 1 s to `encprops check`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeFile } from '../../src/core/analyzeFile';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { main } from '../../src/cli/main';
import { time } from './validateBench';
import { parseAllDocuments } from 'yaml';

/** Services of ten lines each; every tenth is a Jira with an AWS reference (double-quoted), the rest plain services. */
export function generateCompose(lines: number): string {
  const out = ['services:'];
  for (let i = 0; out.length < lines; i++) {
    if (i % 10 === 0) {
      out.push(
        `  jira${i}:`,
        `    image: atlassian/jira-software:9.12.${i % 7}`,
        '    environment:',
        '      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore',
        `      ATL_JDBC_PASSWORD: "{\\"region\\":\\"eu-west-1\\",\\"secretId\\":\\"jira/db${i}\\",\\"secretPointer\\":\\"/password\\"}"`,
        '      ATL_FORCE_CFG_UPDATE: "true"',
        `      ATL_JDBC_URL: jdbc:postgresql://db${i}:5432/jira`,
        '      ATL_JDBC_USER: jira',
        '    ports:',
        `      - "${8000 + (i % 1000)}:8080"`,
      );
    } else {
      out.push(
        `  web${i}:`,
        '    image: nginx:1.27',
        '    environment:',
        `      - NAME=web${i}`,
        '      - MODE=production',
        '    volumes:',
        `      - ./site${i}:/usr/share/nginx/html:ro`,
        '    restart: unless-stopped',
        '    labels:',
        `      team: web`,
      );
    }
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** Deployments of ~20 lines, every fifth a Bitbucket with a reference. */
export function generateManifest(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: app${i}`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      `        - name: app${i}`,
    );
    if (i % 5 === 0) {
      out.push(
        '          image: atlassian/bitbucket:9.4.2',
        '          env:',
        '            - name: JDBC_PASSWORD_DECRYPTER_CLASSNAME',
        '              value: com.atlassian.secrets.store.aws.AwsSecretsManagerStore',
        '            - name: JDBC_PASSWORD',
        `              value: '{"region":"us-east-1","secretId":"bitbucket/db${i}"}'`,
      );
    } else {
      out.push(
        '          image: example/app:1.0',
        '          env:',
        '            - name: MODE',
        '              value: production',
        '            - name: LEVEL',
        '              value: "3"',
      );
    }
    out.push('          ports:', '            - containerPort: 8080');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

export const CONTAINER_BUDGET = 1.5;

export async function runContainerBench(): Promise<{
  compose: number;
  composeFloor: number;
  manifest: number;
  manifestFloor: number;
  scanAdded: number;
  failures: string[];
}> {
  const failures: string[] = [];
  const compose = generateCompose(10_000);
  const manifest = generateManifest(10_000);
  const composeKind = resolveFileKind({ fileName: 'docker-compose.yml', head: compose.slice(0, 4096) });
  const manifestKind = resolveFileKind({ fileName: 'deployments.yaml', head: manifest.slice(0, 4096) });
  if (!composeKind || !manifestKind) throw new Error('the generated files should be container files');
  const a = analyzeFile(compose, { kind: composeKind });
  const b = analyzeFile(manifest, { kind: manifestKind });
  if (a.references.length < 90 || b.references.length < 90 || a.findings.length !== 0 || b.findings.length !== 0) {
    throw new Error(`unexpected analysis: ${a.references.length}/${a.findings.length} and ${b.references.length}/${b.findings.length}`);
  }
  // The floor: the yaml library's own parse of the same text (every document), interleaved with ours.
  const pair = (text: string, kind: typeof composeKind) => {
    const ours: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < 5; round++) {
      floor.push(time(() => parseAllDocuments(text), 3));
      ours.push(time(() => analyzeFile(text, { kind }), 3));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[2];
    return { ours: median(ours), floor: median(floor) };
  };
  const c = pair(compose, composeKind);
  const m = pair(manifest, manifestKind);
  const composeMs = c.ours;
  const manifestMs = m.ours;
  if (c.ours > CONTAINER_BUDGET * c.floor)
    failures.push(
      `a 10,000-line Compose file took ${c.ours.toFixed(1)} ms, ${(c.ours / c.floor).toFixed(2)}× the yaml library's parse (budget ${CONTAINER_BUDGET}×)`,
    );
  if (m.ours > CONTAINER_BUDGET * m.floor)
    failures.push(
      `a 10,000-line Kubernetes manifest took ${m.ours.toFixed(1)} ms, ${(m.ours / m.floor).toFixed(2)}× the yaml library's parse (budget ${CONTAINER_BUDGET}×)`,
    );

  // A repository: one bitbucket.properties, then the same with 1,000 unrelated YAML files (CI workflows, charts).
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-bench-scan-'));
  try {
    fs.mkdirSync(path.join(repo, 'shared'));
    fs.writeFileSync(path.join(repo, 'shared', 'bitbucket.properties'), 'jdbc.url=jdbc:postgresql://db/bitbucket\n');
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    const scan = async () => {
      const started = process.hrtime.bigint();
      await main(['check', '--format', 'json', repo], quiet);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const base = Math.min(await scan(), await scan(), await scan());
    for (let i = 0; i < 1000; i++) {
      const folder = path.join(repo, 'ci', `group${i % 20}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, `workflow${i}.yaml`),
        `name: build ${i}\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      PASSWORD: x\n    steps:\n${'      - run: make test\n'.repeat(20)}`,
      );
    }
    const withYaml = Math.min(await scan(), await scan(), await scan());
    const added = withYaml - base;
    if (added > 1000) failures.push(`1,000 unrelated YAML files added ${added.toFixed(0)} ms to a scan (budget 1 s)`);
    return { compose: composeMs, composeFloor: c.floor, manifest: manifestMs, manifestFloor: m.floor, scanAdded: added, failures };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}
