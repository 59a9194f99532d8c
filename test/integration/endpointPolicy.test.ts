import * as assert from 'assert';
import * as vscode from 'vscode';
import { VerifyGate } from '../../src/verify/gate';
import { Prompts } from '../../src/util/prompts';
import { ENDPOINT_TABLE } from '../support/endpointTable';
import { decideEndpoint, hostSet } from '../../src/core/engine/endpointPolicy';

/** A Memento of this test's own: the gate remembers approved hosts there. */
class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

describe("the editor's gate takes the same decisions as the CLI on the table of hostile endpoints", () => {
  it('allows without asking what the policy allows, asks for what it would ask, and never asks for what it declines', async () => {
    const settings = vscode.workspace.getConfiguration('encryptedProperties');
    for (const row of ENDPOINT_TABLE) {
      await settings.update('aws.allowedEndpointHosts', [...row.allow], vscode.ConfigurationTarget.Global);
      const asked: string[] = [];
      const prompts: Prompts = {
        confirm: (message) => Promise.resolve((asked.push(message), false)),
        secret: () => Promise.resolve(undefined),
        input: () => Promise.resolve(undefined),
        pick: () => Promise.resolve(undefined),
      };
      const gate = new VerifyGate(new MemoryMemento(), prompts);
      const allowed = await gate.allowedTarget(row.target);
      const endpoint = row.target.store === 'aws' ? row.target.endpointOverride : row.target.endpoint;
      const label = `${row.target.store} ${endpoint} [${row.allow.join(', ')}]`;
      if (row.kind === 'allowed') {
        assert.ok(allowed, label);
        assert.strictEqual(asked.length, 0, label);
      } else {
        assert.strictEqual(allowed, undefined, label);
        assert.strictEqual(asked.length, row.kind === 'ask' ? 1 : 0, label);
        if (row.kind === 'ask' && row.host) assert.ok(asked[0].includes(row.host), `${label}: ${asked[0]}`);
      }
    }
    await settings.update('aws.allowedEndpointHosts', undefined, vscode.ConfigurationTarget.Global);
  });

  it('asks once per host when references are verified side by side, and a yes holds for the rest', async () => {
    let asked = 0;
    const prompts: Prompts = {
      confirm: () => new Promise((resolve) => setTimeout(() => resolve((asked++, true)), 20)),
      secret: () => Promise.resolve(undefined),
      input: () => Promise.resolve(undefined),
      pick: () => Promise.resolve(undefined),
    };
    const gate = new VerifyGate(new MemoryMemento(), prompts);
    const decision = decideEndpoint({ store: 'vault', endpoint: 'http://vault.example:8200', mount: 'secret', path: 'db', key: 'password' }, hostSet([]));
    assert.ok(decision.kind === 'ask');
    assert.deepStrictEqual(await Promise.all([gate.consent(decision), gate.consent(decision), gate.consent(decision)]), [true, true, true]);
    assert.strictEqual(await gate.consent(decision), true);
    assert.strictEqual(asked, 1);
  });
});
