/** Profile names from ~/.aws/config ("[default]", "[profile x]") and ~/.aws/credentials ("[x]"). Pure. */
export interface AwsProfile {
  readonly name: string;
  readonly region?: string;
  readonly kind: 'sso' | 'role' | 'process' | 'keys' | 'web-identity' | 'other';
  readonly sources: readonly ('config' | 'credentials')[];
}

function sections(text: string): Array<{ header: string; values: Map<string, string> }> {
  const out: Array<{ header: string; values: Map<string, string> }> = [];
  let current: { header: string; values: Map<string, string> } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = { header: header[1], values: new Map() };
      out.push(current);
      continue;
    }
    const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (kv && current) current.values.set(kv[1].toLowerCase(), kv[2]);
  }
  return out;
}

function kindOf(values: Map<string, string>): AwsProfile['kind'] {
  if (values.has('sso_session') || values.has('sso_start_url')) return 'sso';
  if (values.has('web_identity_token_file')) return 'web-identity';
  if (values.has('role_arn')) return 'role';
  if (values.has('credential_process')) return 'process';
  if (values.has('aws_access_key_id')) return 'keys';
  return 'other';
}

export function parseProfiles(configText: string, credentialsText: string): AwsProfile[] {
  const profiles = new Map<string, { region?: string; kind: AwsProfile['kind']; sources: Set<'config' | 'credentials'> }>();
  for (const { header, values } of sections(configText)) {
    let name: string | undefined;
    if (header === 'default') name = 'default';
    else if (header.startsWith('profile ')) name = header.slice('profile '.length).trim();
    if (!name) continue; // sso-session, services, …
    const p = profiles.get(name) ?? { kind: 'other' as const, sources: new Set() };
    p.region = values.get('region') ?? p.region;
    const kind = kindOf(values);
    if (kind !== 'other') p.kind = kind;
    p.sources.add('config');
    profiles.set(name, p);
  }
  for (const { header, values } of sections(credentialsText)) {
    const p = profiles.get(header) ?? { kind: 'other' as const, sources: new Set() };
    const kind = kindOf(values);
    if (p.kind === 'other' && kind !== 'other') p.kind = kind;
    p.sources.add('credentials');
    profiles.set(header, p);
  }
  return [...profiles.entries()]
    .map(([name, p]) => ({ name, region: p.region, kind: p.kind, sources: [...p.sources] }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** One row of the profile picker: the default chain first, then the files' profiles in their order. */
export interface ProfileChoice {
  readonly profile: string;
  readonly label: string;
  readonly description: string;
  readonly detail?: string;
  /** The current setting: marked with a check, said in the description, and the picker's active row. */
  readonly current: boolean;
}

/** The picker's rows, `current` being the setting's value ('' for the default chain). */
export function profileChoices(profiles: readonly AwsProfile[], current: string): ProfileChoice[] {
  const mark = (profile: string, label: string) => (profile === current ? `$(check) ${label}` : label);
  return [
    {
      profile: '',
      label: mark('', '$(debug-restart) Default credential chain'),
      description: `${current === '' ? 'current · ' : ''}environment, SSO, web identity, files, container, instance role`,
      current: current === '',
    },
    ...profiles.map((p) => ({
      profile: p.name,
      label: mark(p.name, p.name),
      description: [p.name === current ? 'current' : undefined, p.kind, p.region].filter(Boolean).join(' · '),
      detail: p.sources.join(', '),
      current: p.name === current,
    })),
  ];
}
