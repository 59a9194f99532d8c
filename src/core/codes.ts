/**
 * Every finding code with its severity and what it means: the table behind SARIF rule descriptions (and the README's
 * "Diagnostic codes" table, which a test keeps equal to it). Markdown, as in the README. Pure data.
 */
export interface CodeInfo {
  /** The codes of one README row (codes that share one explanation). */
  readonly codes: readonly string[];
  readonly severity: string;
  /** What the code means, in Markdown. */
  readonly when: string;
}

export const CODE_TABLE: readonly CodeInfo[] = [
  { codes: ['properties-malformed-unicode'], severity: 'error', when: 'malformed `\\uXXXX` escape' },
  { codes: ['properties-duplicate-key'], severity: 'warning', when: 'key repeated; the last one wins in Java' },
  { codes: ['properties-escape-changes-value'], severity: 'warning', when: 'a backslash escape changes the JSON the product will parse' },
  {
    codes: ['properties-non-ascii'],
    severity: 'warning',
    when: 'a non-ASCII character saved as UTF-8, which the ISO-8859-1 loader reads as other characters (fix: `\\uXXXX`)',
  },
  {
    codes: ['properties-bom'],
    severity: 'error / warning',
    when: 'a UTF-8 byte-order mark, which becomes `\u00ef\u00bb\u00bf` in the first key (an error when that key is one the product needs)',
  },
  {
    codes: ['spring-list-key', 'spring-empty-key', 'spring-key-whitespace'],
    severity: 'warning',
    when: "Spring Boot's loader reads `a[]`, an empty key, or escaped whitespace at a key's ends differently from `java.util.Properties`",
  },
  {
    codes: ['spring-escaped-comment', 'spring-comment-escape', 'spring-document-separator', 'spring-unicode-split'],
    severity: 'warning',
    when: '`\\#`/`\\!` lines, escapes at the start of a comment block, `#---` lines, a `\\u` split by a continuation (Spring Boot 2.4+)',
  },
  { codes: ['spring-placeholder'], severity: 'warning', when: '`${` in a password or a store value, which Spring resolves as a placeholder' },
  { codes: ['stash-config-enc'], severity: 'warning', when: "`{ENC}` or a cipher class in Stash's `stash-config.properties`" },
  {
    codes: ['enc-json-syntax'],
    severity: 'error',
    when: "`{ENC}` value is not JSON the product's parser reads (strict Jackson; lenient Gson for the algorithm stores)",
  },
  {
    codes: ['enc-json-trailing'],
    severity: 'warning / error',
    when: 'text after the JSON object: Jackson (AWS, Vault) stops reading there, so a warning with a fix that removes it; Gson (algorithm stores) fails on it, so an error',
  },
  { codes: ['enc-json-duplicate-key'], severity: 'warning', when: 'a JSON key appears twice' },
  { codes: ['enc-not-object'], severity: 'error', when: 'JSON is valid but not an object' },
  { codes: ['enc-without-cipher'], severity: 'error', when: '`{ENC}` values present but no cipher class property' },
  { codes: ['enc-non-password-key'], severity: 'warning', when: '`{ENC}` on a key other than `jdbc.password` (unconfirmed support)' },
  { codes: ['cipher-without-enc'], severity: 'warning', when: 'cipher class set but no value marked `{ENC}`' },
  { codes: ['cipher-legacy-property'], severity: 'warning', when: '`jdbc.password.decrypter.classname` used in a file that also uses `{ENC}`' },
  { codes: ['cipher-custom'], severity: 'info', when: 'class not in the known table (custom store)' },
  { codes: ['cipher-class-typo'], severity: 'warning', when: 'class name close to a shipped class' },
  { codes: ['cipher-whitespace'], severity: 'warning', when: 'trailing whitespace after the class name' },
  { codes: ['cipher-value-mismatch'], severity: 'error', when: 'value shape does not fit the class' },
  {
    codes: ['plaintext-password'],
    severity: 'warning',
    when: '`jdbc.password` holds a plaintext value (in a container: the password variable; use a store or a Kubernetes Secret)',
  },
  {
    codes: ['container-class-without-password'],
    severity: 'warning (info with an `env_file`)',
    when: 'the class variable is set, the password variable is not',
  },
  {
    codes: ['container-password-elsewhere'],
    severity: 'info',
    when: "an Atlassian container whose password is not in the file: Kubernetes `valueFrom`, the charts' `database.credentials.secretName`, or not set (the file passes)",
  },
  {
    codes: ['container-list-quotes'],
    severity: 'warning',
    when: "quotes around a value in Compose's list form (`- ATL_JDBC_PASSWORD='…'`): they are part of the value (UNCONFIRMED)",
  },
  {
    codes: ['container-password-without-class'],
    severity: 'error (info with an `env_file`)',
    when: 'the password variable holds store JSON but no class variable names the store: the JSON would be the password (fix: add the class)',
  },
  {
    codes: ['container-enc-in-password'],
    severity: 'warning',
    when: "`{ENC}` in `ATL_JDBC_PASSWORD` (the image copies it verbatim) or with Bitbucket's `JDBC_PASSWORD_DECRYPTER_CLASSNAME` (fix: remove it)",
  },
  {
    codes: ['container-enc-route-undocumented'],
    severity: 'warning',
    when: "Bitbucket's `{ENC}` with `ENCRYPTED_PROPERTY_CIPHER_CLASSNAME` through the environment: undocumented; the documented route is `JDBC_PASSWORD_DECRYPTER_CLASSNAME` with the raw JSON",
  },
  {
    codes: ['container-vault-token-unset'],
    severity: 'warning',
    when: 'the Jira/Confluence entrypoint unsets `SECRET_STORE_VAULT_TOKEN` (names with PASS, SECRET, TOKEN) unless allowlisted (fix: add it to `ATL_ALLOWLIST_SENSITIVE_ENV_VARS`)',
  },
  {
    codes: ['container-image-too-old'],
    severity: 'warning',
    when: 'the image tag is older than the first with the store variables (Jira 9.11, Confluence 8.6, Bitbucket 8.13)',
  },
  {
    codes: ['container-jira-force-cfg-update'],
    severity: 'info',
    when: 'an existing Jira rewrites `dbconfig.xml` from the variables only with `ATL_FORCE_CFG_UPDATE=true`',
  },
  { codes: ['container-store-undocumented'], severity: 'warning', when: "a class variable in Bamboo's image, which documents none" },
  {
    codes: ['templated-password'],
    severity: 'info',
    when: 'the password variable is one `${VAR}`/`$(VAR)` filled in at deploy time (inside the JSON, placeholders are masked and the rest is checked)',
  },
  {
    codes: ['xml-misplaced-element'],
    severity: 'warning',
    when: "Jira's `<atlassian-password-cipher-provider>` outside `<jdbc-datasource>`, where Jira reads it (ignored there: UNCONFIRMED); the JSON is still checked (fix: move it)",
  },
  { codes: ['yaml-syntax'], severity: 'error', when: 'YAML the parser cannot read, in a part that mentions a product' },
  {
    codes: ['yaml-too-large'],
    severity: 'warning',
    when: 'a part with more than 100,000 YAML nodes (flow items, aliases, anchors, lines): not read, so not checked (the parser keeps about a kilobyte per node)',
  },
  {
    codes: ['analysis-failed'],
    severity: 'error',
    when: 'an internal error of the checker on this file (none known: the readers are fuzzed with 100,000 inputs per run); nothing in the file was checked',
  },
  { codes: ['aws-missing-key'], severity: 'error', when: '`region` or `secretId` absent' },
  { codes: ['aws-unknown-key'], severity: 'error', when: 'key other than `region`, `secretId`, `secretPointer`, `endpointOverride`' },
  {
    codes: ['aws-value-type'],
    severity: 'error / warning / hint',
    when: 'an object, array, `null` or empty text where the store needs a value (error); a number or boolean, which Jackson turns into text (warning, quoting fix); `null` for an optional key (hint)',
  },
  { codes: ['aws-region-invalid'], severity: 'error', when: "region matches no partition's pattern" },
  { codes: ['aws-region-unknown'], severity: 'warning', when: 'well-formed but not a region the SDK knows' },
  { codes: ['aws-secret-id-invalid'], severity: 'error', when: 'characters Secrets Manager rejects, or longer than 512' },
  { codes: ['aws-arn-invalid'], severity: 'error', when: '`secretId` starts with `arn:` but is not a secret ARN' },
  { codes: ['aws-arn-region-mismatch'], severity: 'error', when: 'ARN region or partition differs from `region`' },
  { codes: ['aws-pointer-no-slash'], severity: 'warning', when: '`secretPointer` lacks the leading `/`' },
  { codes: ['aws-pointer-invalid'], severity: 'warning', when: '`~` not followed by `0` or `1` (Jackson reads it as a literal `~`)' },
  { codes: ['aws-endpoint-invalid'], severity: 'error', when: '`endpointOverride` is not an http(s) URI with a host as `java.net.URI` parses it' },
  {
    codes: ['vault-missing-key', 'vault-unknown-key', 'vault-value-type'],
    severity: 'error',
    when: 'Vault JSON: `mount`, `path`, `key`, `endpoint` required; strict keys',
  },
  { codes: ['vault-auth-type-invalid'], severity: 'error', when: '`authenticationType` not exactly `TOKEN` or `KUBERNETES`' },
  { codes: ['vault-mount-data', 'vault-path-data'], severity: 'warning', when: '`mount` ends with `/data` / `path` starts with `data/` (KV v2 adds it)' },
  {
    codes: ['vault-path-dot-segment'],
    severity: 'warning',
    when: 'a `.` or `..` segment in `mount` or `path`, which a URL resolves to another Vault path (verify refuses to send it)',
  },
  { codes: ['vault-endpoint-invalid'], severity: 'error', when: '`endpoint` is not an http(s) URI with a host as `java.net.URI` parses it' },
  {
    codes: ['aes-missing-key-file', 'aes-missing-sealed-object'],
    severity: 'warning',
    when: 'no key file / sealed object (an environment variable may supply it)',
  },
  { codes: ['aes-unknown-key'], severity: 'warning', when: 'a key the algorithm store ignores (with the nearest one)' },
  { codes: ['aes-serialized-not-base64'], severity: 'error', when: '`serializedSealedObject` is not Base64' },
  {
    codes: ['aes-json-lenient'],
    severity: 'warning',
    when: "JSON that only Gson's lenient reader accepts (single quotes, unquoted names, comments, `;`, `=>`, a BOM, bare words)",
  },
  {
    codes: ['aes-value-type'],
    severity: 'error / warning',
    when: 'a known key holding an object or array (Gson fails) / a number or boolean (Gson makes it text)',
  },
  { codes: ['aes-file-missing'], severity: 'warning', when: 'a local key or sealed-object file does not exist where the check runs' },
  { codes: ['base64-obfuscation'], severity: 'info', when: 'Base64 is encoding, not encryption' },
  { codes: ['crowd-store-not-allowed'], severity: 'error', when: 'Crowd accepts only the AES-only store' },
  { codes: ['atl-secured', 'atl-secured-with-cipher'], severity: 'info / warning', when: '`{ATL_SECURED}` explained / combined with a cipher class' },
  {
    codes: ['xml-not-well-formed'],
    severity: 'error',
    when: "the XML cannot be parsed (where the problem starts; the parser's position as related information)",
  },
  {
    codes: ['xml-encoding-mismatch'],
    severity: 'warning / error',
    when: "the bytes do not match the XML declaration's encoding (mojibake / a file the parser cannot read)",
  },
  { codes: ['xml-duplicate-element'], severity: 'warning', when: 'the class or password element appears twice' },
];

const BY_CODE = new Map<string, CodeInfo>(CODE_TABLE.flatMap((row) => row.codes.map((code) => [code, row] as const)));

/** What a finding code means, or undefined for a code the table lacks (a test keeps every emitted code in it). */
export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code);
}
