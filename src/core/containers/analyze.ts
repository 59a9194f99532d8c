/**
 * The rules for containers (reference: product-loading.md §Q4, atlassian-secret-stores.md). Which product a container
 * runs is the model's detector (core/model/containers: the image, the Helm key, the variable names). The store rules
 * run on the password variable's value with the same codes and fixes as in the files, and the password rules
 * (plaintext, templated) are the product layer's; the container rules say what only the images do: the class and the
 * password variable go together, the image copies ATL_JDBC_PASSWORD verbatim (no {ENC}), Bitbucket's documented route
 * is JDBC_PASSWORD_DECRYPTER_CLASSNAME with the raw JSON, the Jira and Confluence entrypoints unset variables named
 * *PASS*, *SECRET*, *TOKEN*, the image must be recent enough, an existing Jira regenerates dbconfig.xml only with
 * ATL_FORCE_CFG_UPDATE. Pure.
 */
import { Finding } from '../diagnostics';
import { ContainerFileKind, FileKind } from '../model/fileKind';
import { ENC_PREFIX, Product, PRODUCTS } from '../model/products';
import { AWS_STORE } from '../model/cipherClasses';
import { CONTAINER_VARIABLES, ContainerFamily, containerVariableNames, identifyContainer, IMAGE_STORE_SINCE, versionBefore } from '../model/containers';
import { Analysis, CipherSetting, Context, FormatRules, SecretReference, valueSpan } from '../rules/analysis';
import { checkCipherEntry } from '../rules/cipher';
import { checkReference, inferStore } from '../rules/reference';
import { plaintextPassword, templatedPassword } from '../product/password';
import { Container, ContainerVariable, readEnvContainers, readYamlContainers } from './containers';
import { PLACEHOLDER } from '../templates/template';
import { storeView } from './values';

function rulesFor(variable: ContainerVariable): FormatRules {
  return { name: 'properties', escapeValue: variable.escape };
}

const { vaultToken: TOKEN, allowlist: ALLOWLIST } = CONTAINER_VARIABLES;
const WHOLE_INTERPOLATION = /^\s*(\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\))\s*$/;

/** One container as the rules see it: its product, its variables by name, and the file's kind for its product. */
interface Scope {
  readonly text: string;
  readonly container: Container;
  readonly vars: ReadonlyMap<string, ContainerVariable>;
  readonly product?: Product;
  readonly version?: string;
  readonly family: ContainerFamily;
  /** The product's name, or "Jira or Confluence" when only the variable names tell. */
  readonly name: string;
  readonly classLabel: string;
  readonly passwordName: string;
  readonly kind: FileKind;
  /** " (unless x.env sets it)": a variable missing here may come from the service's env_file. */
  readonly elsewhere: string;
  readonly out: Finding[];
  /** What a masked expression becomes here: the template's placeholder (a Compose file kept as a template), else PLACEHOLDER. */
  readonly placeholder: string;
}

function scopeOf(text: string, kind: FileKind, container: Container, out: Finding[], placeholder: string): Scope | undefined {
  const vars = new Map<string, ContainerVariable>();
  for (const v of container.variables) vars.set(v.key, v);
  const identity = identifyContainer({ image: container.image?.text, helmKey: container.helmProduct, names: vars.keys() });
  const { product, family } = identity;
  if (family === undefined || product === 'crowd') return undefined;
  const names = containerVariableNames(family === 'bitbucket' ? 'bitbucket' : 'jira');
  return {
    text,
    container,
    vars,
    product,
    version: container.image ? identity.version : undefined,
    family,
    name: product ? PRODUCTS[product].name : family === 'atl' ? 'Jira or Confluence' : 'Bitbucket',
    classLabel: names.classVar,
    passwordName: names.passwordVar,
    kind: { ...kind, profile: PRODUCTS[product ?? (family === 'bitbucket' ? 'bitbucket' : 'jira')] },
    elsewhere: container.envFiles?.length ? ` (unless ${container.envFiles.join(', ')} sets it)` : '',
    out,
    placeholder,
  };
}

/** The class variable: checked as the class settings are in the files. */
function checkClass(s: Scope): CipherSetting | undefined {
  // Bitbucket's undocumented {ENC} route names the class in ENCRYPTED_PROPERTY_CIPHER_CLASSNAME.
  const classVar = s.vars.get(s.classLabel) ?? (s.family === 'bitbucket' ? s.vars.get(CONTAINER_VARIABLES.bitbucket.encClassVar) : undefined);
  let cipher: CipherSetting | undefined;
  if (classVar && !classVar.fromReference && classVar.value !== '') {
    const ctx = new Context(s.text, s.kind, rulesFor(classVar), undefined, s.placeholder);
    cipher = checkCipherEntry(classVar, false, ctx);
    s.out.push(...ctx.findings);
  }
  if (s.product === 'bamboo' && classVar) {
    s.out.push({
      code: 'container-store-undocumented',
      severity: 'warning',
      ...valueSpan(classVar),
      message: `Bamboo's image documents no secret-store variable (UNCONFIRMED that ${classVar.key} is read): use bamboo.cfg.xml's jdbc.password.decrypter.classname instead.`,
    });
  }
  if (classVar && !s.vars.has(s.passwordName)) {
    s.out.push({
      code: 'container-class-without-password',
      severity: s.elsewhere ? 'info' : 'warning',
      start: classVar.keyStart,
      end: classVar.keyEnd,
      message: `${classVar.key} names a secret store, but ${s.passwordName} is not set in this container${s.elsewhere}: the store has no reference to resolve. Set ${s.passwordName} to the store's JSON.`,
    });
  }
  return cipher;
}

/** {ENC} before the JSON: the images take the raw JSON; returns whether {ENC} is the route the product takes. */
function checkMarker(s: Scope, password: ContainerVariable): boolean {
  if (!password.value.startsWith(ENC_PREFIX)) return false;
  const span = password.valueMap.range(0, ENC_PREFIX.length);
  const removeFix = [{ title: 'Remove {ENC}', isPreferred: true, edits: [{ ...span, newText: '' }] }];
  if (s.family === 'atl') {
    // [DOC] the images take the store's raw JSON; that they copy {ENC} along is [INFER] (their templates are not public): a warning.
    s.out.push({
      code: 'container-enc-in-password',
      severity: 'warning',
      ...span,
      message: `The ${s.name} image takes the store's raw JSON in ${s.passwordName} and writes it into the product's configuration; {ENC} would most likely go along and break the JSON (UNCONFIRMED): remove {ENC}.`,
      fixes: removeFix,
    });
    return false;
  }
  const { classVar, encClassVar, passwordVar } = CONTAINER_VARIABLES.bitbucket;
  if (s.vars.has(encClassVar) && !s.vars.has(classVar)) {
    s.out.push({
      code: 'container-enc-route-undocumented',
      severity: 'warning',
      ...span,
      message: `{ENC} with ${encClassVar} through the environment is not documented for Bitbucket's image (UNCONFIRMED that it is decrypted): the documented route is ${classVar} with the raw JSON in ${passwordVar}.`,
    });
    return true;
  }
  s.out.push({
    code: 'container-enc-in-password',
    severity: 'warning',
    ...span,
    message: `With ${classVar}, the documented ${passwordVar} is the raw JSON, without {ENC} (whether {ENC} is stripped there is UNCONFIRMED): remove it.`,
    fixes: removeFix,
  });
  return false;
}

/** A password with no class: a store's JSON would be the password itself; anything else is a plaintext password. */
function checkWithoutClass(s: Scope, password: ContainerVariable, payload: string): void {
  // Only JSON counts as a reference here: a plaintext password may well look like Base64.
  const store = payload.trimStart().startsWith('{') ? inferStore(payload) : undefined;
  if (store === undefined) {
    s.out.push(
      plaintextPassword(
        { profile: s.kind.profile, label: s.passwordName, container: { classVar: s.classLabel, passwordVar: s.passwordName } },
        valueSpan(password),
      ),
    );
    return;
  }
  const insert = s.container.insert;
  s.out.push({
    code: 'container-password-without-class',
    severity: s.elsewhere ? 'info' : 'error',
    ...valueSpan(password),
    message: `${s.passwordName} holds a secret-store reference, but no ${s.classLabel} names the store${s.elsewhere}: ${s.name} would use this JSON as the password itself.`,
    fixes: insert
      ? [
          {
            title: `Add ${s.classLabel}=${store.split('.').pop() ?? store}`,
            isPreferred: true,
            edits: [{ start: insert.offset, end: insert.offset, newText: insert.render(s.classLabel, store) }],
          },
        ]
      : undefined,
  });
}

/** The image is older than the first one with the store variables. */
function checkImageVersion(s: Scope, reference: SecretReference, cipher: CipherSetting): void {
  const since = s.product && IMAGE_STORE_SINCE[s.product];
  const image = s.container.image;
  if (!since || !s.version || !image || !(reference.store === 'aws' || cipher.className === AWS_STORE) || !versionBefore(s.version, since)) return;
  s.out.push({
    code: 'container-image-too-old',
    severity: 'warning',
    start: image.start,
    end: image.end,
    message: `${s.name} ${s.version} is older than ${since}, the first image that reads AWS Secrets Manager references from ${s.classLabel}: use ${since} or later.`,
  });
}

/** The Jira and Confluence entrypoints unset the Vault token unless it is allowlisted. */
function checkVaultToken(s: Scope, reference: SecretReference): void {
  const { vars } = s;
  if (reference.store !== 'vault' || s.family !== 'atl' || !vars.has(TOKEN)) return;
  if (vars.get(CONTAINER_VARIABLES.unsetSensitive)?.value.toLowerCase() === 'false') return;
  const allow = vars.get(ALLOWLIST);
  if (allow?.value.split(/[\s,]+/).includes(TOKEN)) return;
  const token = vars.get(TOKEN)!;
  const insert = s.container.insert;
  const end = allow && allow.valueMap.startOf(allow.value.length);
  const fix = allow
    ? { start: end!, end: end!, newText: allow.escape(allow.value === '' ? TOKEN : `,${TOKEN}`) }
    : insert
      ? { start: insert.offset, end: insert.offset, newText: insert.render(ALLOWLIST, TOKEN) }
      : undefined;
  s.out.push({
    code: 'container-vault-token-unset',
    severity: 'warning',
    start: token.keyStart,
    end: token.keyEnd,
    message: `The ${s.name} entrypoint unsets variables whose names contain PASS, SECRET or TOKEN before the product starts, so the Vault store never sees ${TOKEN}: list it in ${ALLOWLIST}.`,
    fixes: fix ? [{ title: `Add ${TOKEN} to ${ALLOWLIST}`, isPreferred: true, edits: [fix] }] : undefined,
  });
}

/**
 * A Compose list entry's quotes (`- ATL_JDBC_PASSWORD='secret'`): Compose takes everything after the first "=" as the
 * value, quotes included [INFER from compose-go's handling of the list form; UNCONFIRMED, so a warning], so the
 * password would start and end with a quote. Returns the value as the rest of the rules read it (without them).
 */
function listQuotes(s: Scope, password: ContainerVariable): { value: string; offset: number } {
  const m = /^(['"])(.*)\1$/s.exec(password.value);
  if (!m || !password.listEntry) return { value: password.value, offset: 0 };
  s.out.push({
    code: 'container-list-quotes',
    severity: 'warning',
    ...valueSpan(password),
    message: `In Compose's list form, everything after "=" is the value, quotes included (UNCONFIRMED for every Compose version): ${s.passwordName} would be ${m[1]}…${m[1]} with the quotes. Remove them, or use the map form (${s.passwordName}: …).`,
  });
  return { value: m[2], offset: 1 };
}

/** Where the password comes from when this file does not hold it: a note, so that the deployment passes and says why. */
function passwordElsewhere(s: Scope, password: ContainerVariable | undefined): Finding {
  const c = s.container;
  const nameSpan = { start: c.start, end: s.text.startsWith(c.name, c.start) ? c.start + c.name.length : c.start + 1 };
  if (password?.fromReference) {
    return {
      code: 'container-password-elsewhere',
      severity: 'info',
      start: password.keyStart,
      end: password.keyEnd,
      message: `${s.passwordName} comes from ${password.referenceSource ?? 'a Secret or ConfigMap'} (valueFrom) when the container starts: not in this file, as it should be. With a secret store, that value is the store's JSON${s.vars.has(s.classLabel) ? '' : ` and ${s.classLabel} names the store`}.`,
    };
  }
  const credentials = c.chartCredentials;
  if (credentials?.secretName !== undefined) {
    return {
      code: 'container-password-elsewhere',
      severity: 'info',
      start: credentials.start,
      end: credentials.end,
      message: `The chart sets ${s.passwordName} from the Kubernetes Secret "${credentials.secretName}", key "${credentials.passwordKey}" (database.credentials): not in this file, as it should be.`,
    };
  }
  const how = c.helmProduct
    ? 'without database.credentials.secretName, the chart sets no database password and the product asks for the database in its setup wizard'
    : `${s.name} then takes the database settings from its home directory's configuration, or asks for them in its setup wizard`;
  return {
    code: 'container-password-elsewhere',
    severity: 'info',
    ...nameSpan,
    message: `No ${s.passwordName} for ${c.name} in this file: ${how}.`,
  };
}

/** Crowd's image reads no database variables: Crowd keeps its database password in crowd.cfg.xml (AES store only). */
function crowdNote(text: string, c: Container): Finding {
  const start = c.image?.start ?? c.start;
  const end = c.image?.end ?? (text.startsWith(c.name, c.start) ? c.start + c.name.length : c.start + 1);
  return {
    code: 'container-password-elsewhere',
    severity: 'info',
    start,
    end,
    message: `Crowd's image takes no database password variable: Crowd keeps it in crowd.cfg.xml in its home (check that file; Crowd accepts only its AES store there).`,
  };
}

/** The rules of one container; findings go to `out`, the password reference (if any) is returned. */
function checkContainer(text: string, kind: FileKind, container: Container, out: Finding[], placeholder: string): SecretReference | undefined {
  const s = scopeOf(text, kind, container, out, placeholder);
  if (!s) return undefined;
  const cipher = checkClass(s);
  const password = s.vars.get(s.passwordName);
  // Kubernetes valueFrom (a Secret or ConfigMap), the chart's database.credentials, or not set at all: nothing to read
  // here, and the deployment passes with a note that says where the password comes from.
  if (!password || password.fromReference) {
    // A class without a password is said by checkClass already.
    if (password || !s.vars.has(s.classLabel)) out.push(passwordElsewhere(s, password));
    return undefined;
  }
  if (password.value === '') return undefined;
  const quoted = listQuotes(s, password);

  // Interpolation (${VAR} in Compose and env files, $(VAR) in Kubernetes) is filled in at deploy time. A value that is
  // one placeholder is said to be so; inside the JSON, each placeholder is masked as in templates (core/templates), so
  // the rest of the reference is still checked and nothing is called invalid because of a placeholder.
  const site = { profile: s.kind.profile, label: s.passwordName, container: { classVar: s.classLabel, passwordVar: s.passwordName } };
  const whole = WHOLE_INTERPOLATION.exec(quoted.value);
  if (whole) {
    // `${VAR:-literal}`: the literal is the password whenever VAR is unset, written here in plaintext.
    const fallback = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}$]+)\}$/.exec(whole[1]);
    if (fallback && cipher === undefined && !fallback[1].trimStart().startsWith('{')) {
      const at = quoted.value.indexOf(fallback[1], quoted.value.indexOf(whole[1]));
      const span = { start: password.valueMap.startOf(quoted.offset + at), end: password.valueMap.endOf(quoted.offset + at + fallback[1].length - 1) };
      out.push({
        ...plaintextPassword(site, span),
        message: `${s.passwordName} falls back to a plaintext password written here whenever the variable in \`${whole[1].replace(/:?-.*$/s, '}')}\` is unset. ${plaintextPassword(site, span).message.replace(/^.*?backups\. /s, '')}`,
      });
      return undefined;
    }
    out.push(templatedPassword(site, valueSpan(password), whole[1], 'deploy'));
    return undefined;
  }
  // A template expression (a Compose file kept as a template: docker-compose.yml.tpl) fills the whole value in.
  if (password.value.includes(s.placeholder) && password.value.replaceAll(s.placeholder, '').trim() === '') {
    out.push(templatedPassword(site, valueSpan(password), 'a template expression', 'render'));
    return undefined;
  }
  // The reference is read past a {ENC} either way (so its JSON is checked too); `marked` says whether {ENC} is the route.
  const marked = checkMarker(s, password);
  const checked = storeView(password, s.placeholder, s.kind.format === 'container' ? s.kind.container : 'compose');
  if (!cipher && !marked) {
    checkWithoutClass(s, password, checked.value);
    return undefined;
  }
  // Without a class there is no store to check the value for (said above).
  if (!cipher) return undefined;
  const ctx = new Context(text, s.kind, rulesFor(password), undefined, s.placeholder);
  const reference = checkReference(checked, false, cipher, ctx);
  out.push(...ctx.findings);
  checkImageVersion(s, reference, cipher);
  checkVaultToken(s, reference);
  const force = s.vars.get(CONTAINER_VARIABLES.forceCfgUpdate);
  if (s.product === 'jira' && force?.value.toLowerCase() !== 'true') {
    const insert = s.container.insert;
    // Set where it is (false), or added in the file's style; not preferred: a new instance needs nothing.
    const edit = force?.replace
      ? { start: force.replace.start, end: force.replace.end, newText: force.replace.render('true') }
      : insert
        ? { start: insert.offset, end: insert.offset, newText: insert.render(CONTAINER_VARIABLES.forceCfgUpdate, 'true') }
        : undefined;
    out.push({
      code: 'container-jira-force-cfg-update',
      severity: 'info',
      start: cipher.entry.keyStart,
      end: cipher.entry.keyEnd,
      message: `An existing Jira keeps its dbconfig.xml: the image rewrites it from these variables only with ${CONTAINER_VARIABLES.forceCfgUpdate}=true (a new instance needs nothing).`,
      fixes: edit ? [{ title: `Set ${CONTAINER_VARIABLES.forceCfgUpdate}=true (an existing Jira)`, edits: [edit] }] : undefined,
    });
  }
  return reference;
}

/**
 * The analysis of a Compose file, Kubernetes manifest, Helm values or env file. `placeholder`: what a template's masked
 * expressions became, when the file is kept as a template (the deployment's own interpolation is masked with it too).
 */
export function analyzeContainers(text: string, kind: ContainerFileKind, placeholder: string = PLACEHOLDER): Analysis {
  const file = kind.container === 'env' ? readEnvContainers(text) : readYamlContainers(text, kind.container);
  const findings: Finding[] = file.errors.map((e) =>
    e.tooLarge
      ? { code: 'yaml-too-large', severity: 'warning' as const, start: e.start, end: e.end, message: `YAML: ${e.message}` }
      : { code: 'yaml-syntax', severity: 'error' as const, start: e.start, end: e.end, message: `YAML: ${e.message}` },
  );
  const references: SecretReference[] = [];
  for (const container of file.containers) {
    if (identifyContainer({ image: container.image?.text, helmKey: container.helmProduct }).product === 'crowd') {
      findings.push(crowdNote(text, container));
      continue;
    }
    const reference = checkContainer(text, kind, container, findings, placeholder);
    if (reference) references.push(reference);
  }
  const settings = file.containers.flatMap((c) => c.variables);
  const relevant = references.length > 0 || findings.some((f) => f.code !== 'yaml-syntax');
  return { kind, text, settings, references, findings: relevant ? findings : [], relevant };
}
