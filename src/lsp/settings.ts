/**
 * The language server's settings, read from the client (`workspace/configuration`, section "encryptedProperties"; or
 * the `initializationOptions` of a client without it), with the same names and bounds as the VS Code extension's,
 * plus `verify.enable`: no request leaves the server unless the client's settings turn it on.
 */

export interface ServerSettings {
  readonly validateEnable: boolean;
  readonly debounceMs: number;
  readonly associations: Readonly<Record<string, string>>;
  readonly verifyEnable: boolean;
  readonly concurrency: number;
  readonly awsProfile: string | undefined;
  readonly requestTimeoutMs: number;
  readonly allowedEndpointHosts: readonly string[];
}

export const DEFAULT_SETTINGS: ServerSettings = {
  validateEnable: true,
  debounceMs: 200,
  associations: {},
  verifyEnable: false,
  concurrency: 4,
  awsProfile: undefined,
  requestTimeoutMs: 10_000,
  allowedEndpointHosts: [],
};

type Tree = Record<string, unknown>;

/** `tree.a.b`, or `tree["a.b"]` (clients that keep dotted keys flat). */
function lookup(tree: Tree, path: string): unknown {
  if (path in tree) return tree[path];
  let node: unknown = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Tree)[part];
  }
  return node;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function number(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function record(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Tree).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The settings from the client's "encryptedProperties" section (anything missing or of the wrong type: the default). */
export function parseSettings(section: unknown): ServerSettings {
  const tree: Tree = typeof section === 'object' && section !== null ? (section as Tree) : {};
  const d = DEFAULT_SETTINGS;
  const profile = lookup(tree, 'aws.profile');
  return {
    validateEnable: bool(lookup(tree, 'validate.enable'), d.validateEnable),
    debounceMs: number(lookup(tree, 'validate.debounceMs'), d.debounceMs, 0, 5000),
    associations: record(lookup(tree, 'files.associations')),
    verifyEnable: bool(lookup(tree, 'verify.enable'), d.verifyEnable),
    concurrency: number(lookup(tree, 'verify.concurrency'), d.concurrency, 1, 16),
    awsProfile: typeof profile === 'string' && profile.trim() !== '' ? profile.trim() : undefined,
    requestTimeoutMs: number(lookup(tree, 'aws.requestTimeoutMs'), d.requestTimeoutMs, 500, 120_000),
    allowedEndpointHosts: strings(lookup(tree, 'aws.allowedEndpointHosts')),
  };
}
