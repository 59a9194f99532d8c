/**
 * The wizard, loaded on its first run (dist/wizard.js, a bundle of its own, as the AWS module is): activating the
 * extension does not load its steps, its planners or the proof. The UI holder and the verify controller are the main
 * bundle's, handed over, so that prompts, previews and results stay one.
 */
import * as path from 'path';
import type * as vscode from 'vscode';
import type * as WizardModule from './configureAwsSecret';
import type { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import type { VerifyController } from '../verify/verifyController';
import type { WizardUi } from './wizardUi';

/** What the commands need of the wizard. */
export interface Wizard {
  run(initial?: vscode.Uri, service?: string): Promise<AwsSecretTarget | undefined>;
}

export class LazyWizard implements Wizard {
  private loaded: Wizard | undefined;

  constructor(
    private readonly ui: WizardUi,
    private readonly verify: VerifyController,
  ) {}

  run(initial?: vscode.Uri, service?: string): Promise<AwsSecretTarget | undefined> {
    if (!this.loaded) {
      // A computed path keeps the bundler from inlining the module.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(path.join(__dirname, 'wizard.js')) as typeof WizardModule;
      this.loaded = new module.ConfigureAwsSecretWizard(this.ui, this.verify);
    }
    return this.loaded.run(initial, service);
  }
}
