import * as vscode from 'vscode';
import { withoutUserinfo } from '../core/text/terminal';
import { isAwsHost } from '../core/verify/labels';
import { credentialDestination, VerifyTarget } from '../core/verify/targets';
import { Prompts } from '../util/prompts';
import { getSettings } from '../util/settings';

/**
 * What must hold before a verify sends anything: a trusted workspace, and the user's consent for a host the file
 * chose (an endpointOverride outside AWS's domains, a Vault endpoint), asked once per host and remembered.
 */
export class VerifyGate {
  private readonly approvedHosts: Set<string>;

  constructor(
    private readonly state: vscode.Memento,
    private readonly prompts: Prompts,
  ) {
    this.approvedHosts = new Set(state.get<string[]>('approvedEndpointHosts', []));
  }

  /** True in a trusted workspace; otherwise says why verifying is off and offers to manage trust. */
  trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        'Verifying secrets sends signed requests to AWS, so it is off in Restricted Mode. Trust this workspace to verify.',
        'Manage Workspace Trust',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }

  /** Where the target would send credentials, when the user has not allowed it (undefined: allowed). */
  async declined(target: VerifyTarget): Promise<string | undefined> {
    const destination = credentialDestination(target);
    if (!destination) return undefined;
    let url: URL;
    try {
      url = new URL(destination.endpoint);
    } catch {
      return withoutUserinfo(destination.endpoint);
    }
    const host = url.host;
    if (isAwsHost(url.hostname) || this.approvedHosts.has(host) || getSettings().allowedEndpointHosts.includes(host)) return undefined;
    const allowed = await this.prompts.confirm(
      destination.what === 'the Vault token'
        ? `This reference's Vault endpoint is ${host}. Send your Vault token there?`
        : `This reference's endpointOverride points at ${host}, which is not an AWS domain. Send requests signed with your AWS credentials there?`,
      destination.what === 'the Vault token'
        ? 'Whoever runs that host can use the token. Allow only Vault servers you run or trust.'
        : 'The signature does not reveal your secret key, but the host learns your access key id and which secret you read. Allow only hosts you run or trust (a VPC endpoint, a local test server).',
      'Send Requests',
    );
    if (!allowed) return withoutUserinfo(destination.endpoint);
    this.approvedHosts.add(host);
    await this.state.update('approvedEndpointHosts', [...this.approvedHosts]);
    return undefined;
  }
}
