/** Read + validate of a 10k-element XML configuration (budget: under 20 ms). */
import { analyzeXml } from '../../src/core/xml/analyze';
import { resolveFileKind } from '../../src/core/model/fileKind';

const CONFLUENCE = resolveFileKind({ fileName: 'confluence.cfg.xml' })!;

export function generateXml(elements: number): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<confluence-configuration>', '  <setupStep>complete</setupStep>', '  <properties>'];
  for (let i = 0; i < elements - 3; i++) out.push(`    <property name="setting.number${i}">value ${i} &amp; more text</property>`);
  out.push('    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.aws.AwsSecretsManagerStore</property>');
  out.push('    <property name="hibernate.connection.password">{"region":"ap-southeast-2","secretId":"confluence/db","secretPointer":"/password"}</property>');
  out.push('  </properties>', '</confluence-configuration>', '');
  return out.join('\n');
}

export function runXmlBench(): { ms: number; failures: string[] } {
  const text = generateXml(10_000);
  for (let i = 0; i < 5; i++) analyzeXml(text, { kind: CONFLUENCE });
  const samples: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = process.hrtime.bigint();
    const a = analyzeXml(text, { kind: CONFLUENCE });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (a.findings.length !== 0 || a.references.length !== 1) throw new Error('the benchmark file should be valid');
  }
  const ms = samples.sort((a, b) => a - b)[10];
  return { ms, failures: ms >= 20 ? [`10k-element XML read+validate took ${ms.toFixed(2)} ms (budget 20 ms)`] : [] };
}
