import * as vscode from 'vscode';

/** Typed access to the `encryptedProperties.*` settings declared in package.json. */
export const SECTION = 'encryptedProperties';

export interface Settings {
  readonly validateEnable: boolean;
  readonly validateDebounceMs: number;
  /** Empty: the default credential chain. */
  readonly awsProfile: string | undefined;
  readonly requestTimeoutMs: number;
  readonly verifyConcurrency: number;
  readonly allowedEndpointHosts: readonly string[];
  readonly codeLensEnable: boolean;
  /** VS Code's own proxy setting. */
  readonly proxy: string | undefined;
  readonly openWalkthroughOnFirstRun: boolean;
}

export function getSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy', '').trim();
  const profile = c.get<string>('aws.profile', '').trim();
  return {
    validateEnable: c.get<boolean>('validate.enable', true),
    validateDebounceMs: Math.max(0, Math.min(5000, c.get<number>('validate.debounceMs', 200))),
    awsProfile: profile === '' ? undefined : profile,
    requestTimeoutMs: Math.max(500, Math.min(120_000, c.get<number>('aws.requestTimeoutMs', 10_000))),
    verifyConcurrency: Math.max(1, Math.min(16, Math.floor(c.get<number>('verify.concurrency', 4)))),
    allowedEndpointHosts: c.get<string[]>('aws.allowedEndpointHosts', []),
    codeLensEnable: c.get<boolean>('codeLens.enable', true),
    proxy: proxy === '' ? undefined : proxy,
    openWalkthroughOnFirstRun: c.get<boolean>('walkthrough.openOnFirstRun', true),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
