import * as vscode from 'vscode';
import { VerifyTarget } from '../core/verify/targets';
import { decideEndpoint, EndpointDecision, hostSet } from '../core/engine/endpointPolicy';
import { Prompts } from '../util/prompts';
import { getSettings } from '../util/settings';

/**
 * What must hold before a verify sends anything: a trusted workspace, and the user's consent for a host the file
 * chose (an endpointOverride outside AWS's domains, a Vault endpoint), asked once per host and remembered.
 */
export class VerifyGate {
  private readonly approvedHosts: Set<string>;
  /** Questions being asked now, by store and host. */
  private readonly pending = new Map<string, Promise<boolean>>();

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

  /** The hosts allowed without asking: the setting's and the ones the user approved (core/engine's policy decides). */
  allowedHosts(): ReadonlySet<string> {
    return hostSet([...getSettings().allowedEndpointHosts, ...this.approvedHosts]);
  }

  /** Asks once per host whether the file's endpoint may receive credentials, and remembers a yes. */
  consent(decision: EndpointDecision & { kind: 'ask' }): Promise<boolean> {
    // Verify all runs references side by side: one question per host, and a yes holds for the rest of the run.
    if (this.approvedHosts.has(decision.host)) return Promise.resolve(true);
    const key = `${decision.what}\u0000${decision.host}`;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.ask(decision).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async ask(decision: EndpointDecision & { kind: 'ask' }): Promise<boolean> {
    const { host } = decision;
    const allowed = await this.prompts.confirm(
      decision.what === 'the Vault token'
        ? `This reference's Vault endpoint is ${host}. Send your Vault token there?`
        : `This reference's endpointOverride points at ${host}, which is not an AWS Secrets Manager endpoint. Send requests signed with your AWS credentials there?`,
      decision.what === 'the Vault token'
        ? 'Whoever runs that host can use the token. Allow only Vault servers you run or trust.'
        : 'The signature does not reveal your secret key, but the host learns your access key id and which secret you read. Allow only hosts you run or trust (a VPC endpoint, a local test server).',
      'Send Requests',
    );
    if (!allowed) return false;
    this.approvedHosts.add(host);
    await this.state.update('approvedEndpointHosts', [...this.approvedHosts]);
    return true;
  }

  /**
   * The target to send the request with (its endpoint as the policy parsed and approved it), asking first for a host
   * nobody allowed; undefined when it is not allowed.
   */
  async allowedTarget(target: VerifyTarget): Promise<VerifyTarget | undefined> {
    const decision = decideEndpoint(target, this.allowedHosts());
    if (decision.kind === 'allowed') return decision.target;
    if (decision.kind === 'ask' && (await this.consent(decision))) return decision.target;
    return undefined;
  }
}
