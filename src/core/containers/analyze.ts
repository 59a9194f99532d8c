/**
 * The rules for containers (reference: product-loading.md §Q4, atlassian-secret-stores.md). Which product a container
 * runs comes from its image (`atlassian/jira-software:9.12`, any registry prefix), else the Helm values key, else the
 * variable names. The store rules run on the password variable's value with the same codes and fixes as in the files;
 * the container rules say what only the images do: the class and the password variable go together, the image copies
 * ATL_JDBC_PASSWORD verbatim (no {ENC}), Bitbucket's documented route is JDBC_PASSWORD_DECRYPTER_CLASSNAME with the raw
 * JSON, the Jira and Confluence entrypoints unset variables named *PASS*, *SECRET*, *TOKEN*, the image must be recent
 * enough, an existing Jira regenerates dbconfig.xml only with ATL_FORCE_CFG_UPDATE. Pure.
 */
import { Finding } from '../diagnostics';
import { FileKind } from '../model/fileKind';
import { ENC_PREFIX, Product, PRODUCTS } from '../model/products';
import { AWS_STORE } from '../model/cipherClasses';
import { Analysis, CipherSetting, Context, FormatRules, SecretReference, valueSpan } from '../rules/analysis';
import { checkCipherEntry } from '../rules/cipher';
import { checkReference, inferStore } from '../rules/reference';
import { Container, ContainerForm, ContainerVariable, containerVariableNames, readEnvContainers, readYamlContainers, sliceMap } from './containers';
import { PLACEHOLDER } from '../templates/template';

/** The images and what they run. [DOC] Atlassian's Docker Hub names. */
const IMAGES: Readonly<Record<string, Product>> = {
  'jira-software': 'jira',
  'jira-servicemanagement': 'jira',
  'jira-core': 'jira',
  confluence: 'confluence',
  'confluence-server': 'confluence',
  bitbucket: 'bitbucket',
  'bitbucket-server': 'bitbucket',
  bamboo: 'bamboo',
  crowd: 'crowd',
};

const IMAGE = /(?:^|\/)atlassian\/([a-z-]+)(?::([\w.-]+))?(?:@sha256:[0-9a-f]+)?$/;

/** The product and version an image names (a tag like 9.12.3 or 9.12-jdk17 is a version; latest is not). */
export function imageProduct(image: string): { product: Product; version?: string } | undefined {
  const m = IMAGE.exec(image.trim());
  const product = m ? IMAGES[m[1]] : undefined;
  if (!product) return undefined;
  const version = m?.[2] && /^\d+(?:\.\d+){0,2}/.exec(m[2])?.[0];
  return { product, ...(version ? { version } : {}) };
}

/** The first version of each image with the store variables [DOC]: Jira 9.11, Confluence 8.6, Bitbucket 8.13. */
const STORE_SINCE: Partial<Record<Product, string>> = { jira: '9.11', confluence: '8.6', bitbucket: '8.13' };

function versionBefore(version: string, since: string): boolean {
  const a = version.split('.').map(Number);
  const b = since.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

type Family = 'atl' | 'bitbucket';

function familyOf(product: Product | undefined, names: ReadonlySet<string>): Family | undefined {
  if (product === 'bitbucket') return 'bitbucket';
  if (product !== undefined) return 'atl';
  if (names.has('ATL_JDBC_SECRET_CLASS') || names.has('ATL_JDBC_PASSWORD')) return 'atl';
  if (names.has('JDBC_PASSWORD_DECRYPTER_CLASSNAME') || names.has('JDBC_PASSWORD') || names.has('ENCRYPTED_PROPERTY_CIPHER_CLASSNAME')) return 'bitbucket';
  return undefined;
}

function rulesFor(variable: ContainerVariable): FormatRules {
  return { name: 'properties', escapeValue: variable.escape };
}

const TOKEN = 'SECRET_STORE_VAULT_TOKEN';
const ALLOWLIST = 'ATL_ALLOWLIST_SENSITIVE_ENV_VARS';

/** The rules of one container; findings go to `out`, the password reference (if any) is returned. */
function checkContainer(text: string, kind: FileKind, container: Container, out: Finding[]): SecretReference | undefined {
  const vars = new Map<string, ContainerVariable>();
  for (const v of container.variables) vars.set(v.key, v);
  const image = container.image ? imageProduct(container.image.text) : undefined;
  const product = image?.product ?? (container.helmProduct as Product | undefined);
  const family = familyOf(product, new Set(vars.keys()));
  if (family === undefined || product === 'crowd') return undefined;
  const name = product ? PRODUCTS[product].name : family === 'atl' ? 'Jira or Confluence' : 'Bitbucket';
  const { classVar: classLabel, passwordVar: passwordName } = containerVariableNames(family === 'bitbucket' ? 'bitbucket' : 'jira');
  // Bitbucket's undocumented {ENC} route names the class in ENCRYPTED_PROPERTY_CIPHER_CLASSNAME.
  const classVar = vars.get(classLabel) ?? (family === 'bitbucket' ? vars.get('ENCRYPTED_PROPERTY_CIPHER_CLASSNAME') : undefined);
  let password = vars.get(passwordName);
  const push = (f: Finding) => out.push(f);
  const profile = PRODUCTS[product ?? (family === 'bitbucket' ? 'bitbucket' : 'jira')];
  const ctxKind: FileKind = { ...kind, profile };

  let cipher: CipherSetting | undefined;
  if (classVar && !classVar.fromReference && classVar.value !== '') {
    const ctx = new Context(text, ctxKind, rulesFor(classVar));
    cipher = checkCipherEntry(classVar, false, ctx);
    out.push(...ctx.findings);
  }
  if (product === 'bamboo' && classVar) {
    const span = valueSpan(classVar);
    push({
      code: 'container-store-undocumented',
      severity: 'warning',
      ...span,
      message: `Bamboo's image documents no secret-store variable (UNCONFIRMED that ${classVar.key} is read): use bamboo.cfg.xml's jdbc.password.decrypter.classname instead.`,
    });
  }

  // A variable missing here may come from the service's env_file: then it is said, not warned.
  const elsewhere = container.envFiles?.length ? ` (unless ${container.envFiles.join(', ')} sets it)` : '';
  if (classVar && !password) {
    push({
      code: 'container-class-without-password',
      severity: elsewhere ? 'info' : 'warning',
      start: classVar.keyStart,
      end: classVar.keyEnd,
      message: `${classVar.key} names a secret store, but ${passwordName} is not set in this container${elsewhere}: the store has no reference to resolve. Set ${passwordName} to the store's JSON.`,
    });
  }
  // Kubernetes valueFrom: set from a Secret or ConfigMap, nothing to read here.
  if (!password || password.fromReference || password.value === '') return undefined;

  // Interpolation (${VAR} in Compose and env files, $(VAR) in Kubernetes) is filled in at deploy time. A value that is
  // one placeholder is said to be so; inside the JSON, each placeholder is masked as in templates (core/templates), so
  // the rest of the reference is still checked and nothing is called invalid because of a placeholder.
  const INTERPOLATION = /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)/g;
  if (/^\s*(?:\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\))\s*$/.test(password.value)) {
    push({
      code: 'templated-password',
      severity: 'info',
      ...valueSpan(password),
      message: `${passwordName} is filled in when the container is deployed (interpolation): verify the rendered value.`,
    });
    return undefined;
  }
  if (INTERPOLATION.test(password.value)) {
    password = { ...password, value: password.value.replace(INTERPOLATION, (m) => PLACEHOLDER.repeat(m.length)) };
  }

  // The reference is read past a {ENC} either way (so its JSON is checked too); `marked` says whether {ENC} is the route.
  const hasMarker = password.value.startsWith(ENC_PREFIX);
  let marked = hasMarker;
  if (marked && family === 'atl') {
    const span = password.valueMap.range(0, ENC_PREFIX.length);
    // [DOC] the images take the store's raw JSON; that they copy {ENC} along is [INFER] (their templates are not public): a warning.
    push({
      code: 'container-enc-in-password',
      severity: 'warning',
      ...span,
      message: `The ${name} image takes the store's raw JSON in ATL_JDBC_PASSWORD and writes it into the product's configuration; {ENC} would most likely go along and break the JSON (UNCONFIRMED): remove {ENC}.`,
      fixes: [{ title: 'Remove {ENC}', isPreferred: true, edits: [{ ...span, newText: '' }] }],
    });
    marked = false;
  } else if (marked && family === 'bitbucket') {
    const span = password.valueMap.range(0, ENC_PREFIX.length);
    if (vars.has('ENCRYPTED_PROPERTY_CIPHER_CLASSNAME') && !vars.has('JDBC_PASSWORD_DECRYPTER_CLASSNAME')) {
      push({
        code: 'container-enc-route-undocumented',
        severity: 'warning',
        ...span,
        message:
          "{ENC} with ENCRYPTED_PROPERTY_CIPHER_CLASSNAME through the environment is not documented for Bitbucket's image (UNCONFIRMED that it is decrypted): the documented route is JDBC_PASSWORD_DECRYPTER_CLASSNAME with the raw JSON in JDBC_PASSWORD.",
      });
    } else {
      push({
        code: 'container-enc-in-password',
        severity: 'warning',
        ...span,
        message:
          'With JDBC_PASSWORD_DECRYPTER_CLASSNAME, the documented JDBC_PASSWORD is the raw JSON, without {ENC} (whether {ENC} is stripped there is UNCONFIRMED): remove it.',
        fixes: [{ title: 'Remove {ENC}', isPreferred: true, edits: [{ ...span, newText: '' }] }],
      });
      marked = false;
    }
  }

  const payload = hasMarker ? password.value.slice(ENC_PREFIX.length) : password.value;
  // Only JSON counts as a reference here: a plaintext password may well look like Base64.
  const store = payload.trimStart().startsWith('{') ? inferStore(payload) : undefined;
  if (!cipher && !marked) {
    if (store !== undefined) {
      const insert = container.insert;
      push({
        code: 'container-password-without-class',
        severity: elsewhere ? 'info' : 'error',
        ...valueSpan(password),
        message: `${passwordName} holds a secret-store reference, but no ${classLabel} names the store${elsewhere}: ${name} would use this JSON as the password itself.`,
        fixes: insert
          ? [
              {
                title: `Add ${classLabel}=${store.split('.').pop() ?? store}`,
                isPreferred: true,
                edits: [{ start: insert.offset, end: insert.offset, newText: insert.render(classLabel, store) }],
              },
            ]
          : undefined,
      });
    } else {
      push({
        code: 'plaintext-password',
        severity: 'warning',
        ...valueSpan(password),
        message: `A plaintext database password in the container's environment: put it in a secret store (${classLabel} and the store's JSON in ${passwordName}) or in a Kubernetes Secret (valueFrom.secretKeyRef).`,
      });
      return undefined;
    }
  }

  // Without a class there is no store to check the value for (said above).
  if (!cipher) return undefined;
  const ctx = new Context(text, ctxKind, rulesFor(password));
  // The store reads what follows {ENC} (said above when it should not be there): the rules see that part alone.
  const checked: ContainerVariable = hasMarker
    ? {
        ...password,
        value: payload,
        valueMap: sliceMap(password.valueMap, ENC_PREFIX.length, payload.length, password.valueMap.startOf(password.value.length)),
        valueStart: password.valueMap.startOf(ENC_PREFIX.length),
      }
    : password;
  const reference = checkReference(checked, false, cipher, ctx);
  out.push(...ctx.findings);

  if (image?.version && (reference.store === 'aws' || cipher?.className === AWS_STORE)) {
    const since = STORE_SINCE[image.product];
    if (since && versionBefore(image.version, since) && container.image) {
      push({
        code: 'container-image-too-old',
        severity: 'warning',
        start: container.image.start,
        end: container.image.end,
        message: `${PRODUCTS[image.product].name} ${image.version} is older than ${since}, the first image that reads AWS Secrets Manager references from ${classLabel}: use ${since} or later.`,
      });
    }
  }
  if (reference.store === 'vault' && family === 'atl' && vars.has(TOKEN) && vars.get('ATL_UNSET_SENSITIVE_ENV_VARS')?.value.toLowerCase() !== 'false') {
    const allow = vars.get(ALLOWLIST);
    const listed = allow?.value.split(/[\s,]+/).includes(TOKEN) ?? false;
    if (!listed) {
      const token = vars.get(TOKEN)!;
      const insert = container.insert;
      const fix = allow
        ? {
            start: allow.valueMap.startOf(allow.value.length),
            end: allow.valueMap.startOf(allow.value.length),
            newText: allow.escape(allow.value === '' ? TOKEN : `,${TOKEN}`),
          }
        : insert
          ? { start: insert.offset, end: insert.offset, newText: insert.render(ALLOWLIST, TOKEN) }
          : undefined;
      push({
        code: 'container-vault-token-unset',
        severity: 'warning',
        start: token.keyStart,
        end: token.keyEnd,
        message: `The ${name} entrypoint unsets variables whose names contain PASS, SECRET or TOKEN before the product starts, so the Vault store never sees ${TOKEN}: list it in ${ALLOWLIST}.`,
        fixes: fix ? [{ title: `Add ${TOKEN} to ${ALLOWLIST}`, isPreferred: true, edits: [fix] }] : undefined,
      });
    }
  }
  if (product === 'jira' && cipher && vars.get('ATL_FORCE_CFG_UPDATE')?.value.toLowerCase() !== 'true') {
    push({
      code: 'container-jira-force-cfg-update',
      severity: 'info',
      start: cipher.entry.keyStart,
      end: cipher.entry.keyEnd,
      message:
        'An existing Jira keeps its dbconfig.xml: the image rewrites it from these variables only with ATL_FORCE_CFG_UPDATE=true (a new instance needs nothing).',
    });
  }
  return reference;
}

/** The analysis of a Compose file, Kubernetes manifest, Helm values or env file. */
export function analyzeContainers(text: string, kind: FileKind & { container: ContainerForm }): Analysis {
  const file = kind.container === 'env' ? readEnvContainers(text) : readYamlContainers(text, kind.container);
  const findings: Finding[] = file.errors.map((e) => ({
    code: 'yaml-syntax',
    severity: 'error' as const,
    start: e.start,
    end: e.end,
    message: `YAML: ${e.message}`,
  }));
  const references: SecretReference[] = [];
  for (const container of file.containers) {
    const reference = checkContainer(text, kind, container, findings);
    if (reference) references.push(reference);
  }
  const settings = file.containers.flatMap((c) => c.variables);
  const relevant = references.length > 0 || findings.some((f) => f.code !== 'yaml-syntax');
  return { kind, text, settings, references, findings: relevant ? findings : [], relevant };
}
