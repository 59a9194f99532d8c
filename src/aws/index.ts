/**
 * The only module that talks to AWS. Bundled separately (dist/aws.js) and required on first use, so that activating
 * the extension never loads the AWS SDK.
 */
export { SecretsVerifier } from './verifier';
export type { VerifierOptions, VerifyRequest, SecretSummary, LogLevel } from './verifier';
export { describeSource } from './credentials';
