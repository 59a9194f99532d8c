import * as path from 'path';
import type * as AwsModule from '../aws';

let loaded: typeof AwsModule | undefined;

/**
 * The AWS module (dist/aws.js, a bundle of its own) is required on first use only, so that activating the extension
 * never loads the AWS SDK.
 */
export function loadAws(): typeof AwsModule {
  // A computed path keeps the bundler from inlining the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require(path.join(__dirname, 'aws.js')) as typeof AwsModule);
}
