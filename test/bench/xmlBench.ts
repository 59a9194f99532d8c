/** Read + validate of a 10k-element XML configuration, against a bare saxes parse of the same text (budget 1.5×). */
import { SaxesParser } from 'saxes';
import { analyzeXml } from '../../src/core/xml/analyze';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { timeInterleaved } from './validateBench';

const CONFLUENCE = resolveFileKind({ fileName: 'confluence.cfg.xml' })!;

export function generateXml(elements: number): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<confluence-configuration>', '  <setupStep>complete</setupStep>', '  <properties>'];
  for (let i = 0; i < elements - 3; i++) out.push(`    <property name="setting.number${i}">value ${i} &amp; more text</property>`);
  out.push('    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.aws.AwsSecretsManagerStore</property>');
  out.push('    <property name="hibernate.connection.password">{"region":"ap-southeast-2","secretId":"confluence/db","secretPointer":"/password"}</property>');
  out.push('  </properties>', '</confluence-configuration>', '');
  return out.join('\n');
}

/** What any reader of the file pays: saxes with positions, every element and text event handled. */
function bareSaxes(text: string): number {
  let events = 0;
  const parser = new SaxesParser({ position: true });
  parser.on('opentag', () => events++);
  parser.on('text', () => events++);
  parser.on('closetag', () => events++);
  parser.write(text).close();
  return events;
}

export const XML_BUDGET = 1.5;

export function runXmlBench(): { ms: number; floor: number; failures: string[] } {
  const text = generateXml(10_000);
  const a = analyzeXml(text, { kind: CONFLUENCE });
  if (a.findings.length !== 0 || a.references.length !== 1) throw new Error('the benchmark file should be valid');
  // One call of each per round, the order turning every round (timeInterleaved): rounds of five calls of one, then
  // five of the other, let a burst of load or a collection fall on one side (1.22–1.54× over runs).
  const [ms, bare] = timeInterleaved([() => analyzeXml(text, { kind: CONFLUENCE }), () => bareSaxes(text)], 61);
  return {
    ms,
    floor: bare,
    failures:
      ms > XML_BUDGET * bare
        ? [`10k-element XML read+validate took ${ms.toFixed(2)} ms, ${(ms / bare).toFixed(2)}× a bare saxes parse (budget ${XML_BUDGET}×)`]
        : [],
  };
}
