/**
 * Every writer's last step before a file is written (the wizard and `set-aws-secret` alike, through planForFile): the
 * planned text is proved, not trusted. It must parse with the format's strict reader as well as the original did (XML
 * well-formed, YAML without errors or duplicate keys); the analysis of the result must show the AWS store's reference
 * where the product reads the password (in every branch of a template) and no new error; every other setting and
 * variable (all services, documents and branches) must keep its value; a template's tags must stay byte for byte; and
 * the line ends must stay what they were. A plan that fails is refused with its reason, and nothing is written. Pure.
 */
import { analyzeFile } from '../analyzeFile';
import { FileKind } from '../model/fileKind';
import { CONTAINER_VARIABLES } from '../model/containers';
import { CIPHER_PROPERTY, LEGACY_CIPHER_PROPERTY, PROFILES } from '../model/products';
import { Analysis, awsOf } from '../rules/analysis';
import { inForce } from '../templates/inForce';
import { maskTemplate } from '../templates/template';
import { readXml } from '../xml/xmlReader';
import { containers } from '../containers/load';
import { normalizePointer } from '../stores/jsonPointer';
import { LineIndex } from '../text/lineIndex';
import type { AwsSecretTarget } from './awsSecretPlan';
import { readContainers } from './containerPlan';

/** The settings a writer may change: every product's class and password settings, and the images' variables. */
const WRITTEN_KEYS: ReadonlySet<string> = new Set([
  CIPHER_PROPERTY,
  LEGACY_CIPHER_PROPERTY,
  ...PROFILES.flatMap((p) => [p.passwordSetting, ...p.cipherSettings.map((c) => c.name)]),
  CONTAINER_VARIABLES.atl.classVar,
  CONTAINER_VARIABLES.atl.passwordVar,
  CONTAINER_VARIABLES.bitbucket.classVar,
  CONTAINER_VARIABLES.bitbucket.passwordVar,
  CONTAINER_VARIABLES.bitbucket.encClassVar,
]);

const PASSWORD_FINDINGS = new Set(['plaintext-password', 'templated-password']);

/** Every line ends with CRLF (and there is at least one line end). */
function allCrlf(text: string): boolean {
  return text.includes('\r\n') && !/(?<!\r)\n/.test(text);
}

function parseErrors(kind: FileKind, text: string): string[] {
  const read = kind.template ? maskTemplate(text, kind.template).text : text;
  if (kind.format === 'xml') {
    const error = readXml(read, { keep: () => false }).error;
    return error ? [error.message] : [];
  }
  if (kind.format === 'container' && kind.container !== 'env') return containers().strictYamlErrors(read);
  return [];
}

/** "key=value" for every setting the writer must not change, in document order. */
function untouchedSettings(analysis: Analysis): string[] {
  return analysis.settings.filter((s) => !WRITTEN_KEYS.has(s.key)).map((s) => `${s.key}=${s.value}`);
}

function counts(items: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(i, (out.get(i) ?? 0) + 1);
  return out;
}

/** Items of `after` beyond those of `before` (a multiset difference), for the message. */
function added(before: readonly string[], after: readonly string[]): string[] {
  const left = counts(before);
  return after.filter((i) => {
    const n = left.get(i) ?? 0;
    if (n > 0) left.set(i, n - 1);
    return n === 0;
  });
}

function matches(analysis: Analysis, target: AwsSecretTarget) {
  const pointer = target.secretPointer ? normalizePointer(target.secretPointer) : undefined;
  return analysis.references.filter((r) => {
    const aws = awsOf(r);
    return r.store === 'aws' && r.valid && aws?.region === target.region && aws.secretId === target.secretId && aws.secretPointer === pointer;
  });
}

/**
 * A container deployment: one container at most has a changed environment, and only in the class and password
 * variables (an anchor shared with another service, or an environment merged into several, must not change theirs).
 */
function containersKept(kind: FileKind & { format: 'container' }, before: string, after: string): string | undefined {
  const read = (text: string) => {
    return readContainers(kind.template ? maskTemplate(text, kind.template).text : text, kind.container);
  };
  const env = (text: string) => read(text).containers.map((c) => ({ name: c.name, vars: c.variables.map((v) => `${v.key}=${v.value}`) }));
  const was = env(before);
  const now = env(after);
  if (was.length !== now.length || was.some((c, i) => c.name !== now[i].name)) return 'the result would change which containers the file describes';
  const changed = was.filter((c, i) => c.vars.join('\n') !== now[i].vars.join('\n')).map((c) => c.name);
  if (changed.length > 1) return `the result would change the environment of ${changed.join(' and ')} (a value or an environment they share)`;
  const i = was.findIndex((c) => c.name === changed[0]);
  if (i >= 0) {
    const other = (vars: readonly string[]) => vars.filter((v) => !WRITTEN_KEYS.has(v.slice(0, v.indexOf('='))));
    if (other(was[i].vars).join('\n') !== other(now[i].vars).join('\n')) return `the result would change another variable of ${changed[0]}`;
  }
  return undefined;
}

/** The reason the planned text may not be written, or undefined when it is proved. */
export function proveWrite(kind: FileKind, before: string, after: string, target: AwsSecretTarget, replacedClass = false): string | undefined {
  if (allCrlf(before) && /(?<!\r)\n/.test(after)) return 'the result would mix line ends (the file uses CRLF)';
  const a = analyzeFile(before, { kind });
  if (kind.template) {
    // Control tags and comments stay byte for byte, in order; an expression may go only where it was the password.
    const inPassword = (start: number) =>
      a.settings.some((s) => WRITTEN_KEYS.has(s.key) && s.valueStart <= start && start < Math.max(s.valueEnd, s.valueStart + 1));
    const tags = (text: string, drop: boolean) =>
      maskTemplate(text, kind.template!)
        .tags.filter((t) => !(drop && t.kind === 'expression' && inPassword(t.start)))
        .map((t) => text.slice(t.start, t.end));
    const was = tags(before, true);
    const now = tags(after, false);
    if (was.length !== now.length || was.some((t, i) => t !== now[i]))
      return 'the result would change the template syntax (a tag would be moved, removed or altered)';
  }
  const newParseErrors = added(parseErrors(kind, before), parseErrors(kind, after));
  if (newParseErrors.length > 0) return `the result would not parse: ${newParseErrors[0]}`;

  const b = analyzeFile(after, { kind });
  // With --replace-class the user accepted that the other {ENC} values no longer resolve: their errors are expected.
  const others = replacedClass ? b.references.filter((r) => !matches(b, target).includes(r)).map((r) => r.entry) : [];
  const inOther = (f: { start: number; end: number }) => others.some((e) => e.start <= f.start && f.end <= e.end);
  const errorCodes = (x: Analysis) => x.findings.filter((f) => f.severity === 'error' && !(x === b && inOther(f))).map((f) => f.code);
  const newErrors = added(errorCodes(a), errorCodes(b));
  if (newErrors.length > 0) return `the result would have a new error (${newErrors.join(', ')})`;
  const changed = added(untouchedSettings(a), untouchedSettings(b));
  if (changed.length > 0 || untouchedSettings(a).length !== untouchedSettings(b).length) {
    const key = (changed[0] ?? added(untouchedSettings(b), untouchedSettings(a))[0] ?? '').split('=')[0];
    return `the result would change ${key ? `"${key}", ` : ''}a setting other than the store's class and the password`;
  }
  // Every password in force (one per exclusive branch of a template) is still there: none was removed with another
  // branch's edit. (Earlier duplicates, which the product ignores, may go.)
  if (kind.template && kind.format !== 'container') {
    const passwords = (x: Analysis, text: string) =>
      inForce(
        x.settings.filter((s) => s.key === kind.profile.passwordSetting),
        maskTemplate(text, kind.template!).exclusive,
      );
    const was = passwords(a, before);
    if (passwords(b, after).length < was.length) {
      const lines = new LineIndex(before);
      return `the passwords on lines ${was.map((s) => lines.positionAt(s.start).line + 1).join(', ')} would not all stay (a branch of the template would lose its password)`;
    }
  }
  if (kind.format === 'container') {
    const reason = containersKept(kind, before, after);
    if (reason) return reason;
  }
  const written = matches(b, target);
  if (written.length === 0) return 'the product would not read the reference from the result (it is not where the product reads the password)';
  if (kind.format !== 'container') {
    // Every password in force (one per branch) is exactly the reference.
    const at = new LineIndex(after);
    const wrong = b.settings.filter((s) => s.key === kind.profile.passwordSetting && !written.some((r) => r.entry.start === s.start));
    if (wrong.length > 0) return `the password on line ${wrong.map((s) => at.positionAt(s.start).line + 1).join(', ')} would not be exactly the reference`;
  }
  const lines = new LineIndex(after);
  const left = b.findings.filter((f) => PASSWORD_FINDINGS.has(f.code));
  const before_ = a.findings.filter((f) => PASSWORD_FINDINGS.has(f.code));
  // Outside a container deployment the file has one password (in each branch of a template): every one is the reference.
  if (kind.format !== 'container' && left.length > 0) {
    return `the password on line ${left.map((f) => lines.positionAt(f.start).line + 1).join(', ')} would stay as it is (another branch of the template?)`;
  }
  if (kind.format === 'container' && before_.length > 0 && left.length >= before_.length) return 'the container would keep its password';
  return undefined;
}
