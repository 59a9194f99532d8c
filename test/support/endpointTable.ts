/** The table of hostile and ordinary endpoints that both front ends must decide alike (core/engine/endpointPolicy). */
import { AwsTarget, VaultTarget } from '../../src/core/verify/targets';

export const aws1 = (endpointOverride: string, region = 'eu-west-1'): AwsTarget => ({ store: 'aws', region, secretId: 'db', endpointOverride });
export const vault = (endpoint: string): VaultTarget => ({ store: 'vault', endpoint, mount: 'secret', path: 'db', key: 'password' });

/**
 * The table of hostile and ordinary endpoints: what the one policy decides, with the allow-list given. The CLI and the
 * editor take their decision from decideEndpoint (the editor asks for an 'ask', the CLI declines it).
 */
export const ENDPOINT_TABLE: readonly {
  readonly target: AwsTarget | VaultTarget;
  readonly allow: readonly string[];
  readonly kind: 'allowed' | 'ask' | 'declined';
  readonly host?: string;
}[] = [
  // The host checked is the host connected: "?" ends the authority, so evil.example is the query.
  { target: vault('http://vault.internal:8200?@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200#@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200\\@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200@evil.example/'), allow: ['vault.internal:8200'], kind: 'ask', host: 'evil.example' },
  { target: vault('http://user:pw@evil.example/'), allow: ['vault.internal'], kind: 'ask', host: 'evil.example' },
  { target: vault('http://2130706433:8200/'), allow: ['127.0.0.1:8200'], kind: 'allowed', host: '127.0.0.1:8200' },
  { target: vault('http://0177.0.0.1:8200/'), allow: ['127.0.0.1:8200'], kind: 'allowed', host: '127.0.0.1:8200' },
  { target: vault('http://VAULT.Internal.:8200/'), allow: ['vault.internal:8200'], kind: 'ask', host: 'vault.internal.:8200' },
  { target: vault('http://[::1]:8200/'), allow: ['[::1]:8200'], kind: 'allowed', host: '[::1]:8200' },
  { target: vault('http://bücher.example/'), allow: ['xn--bcher-kva.example'], kind: 'allowed', host: 'xn--bcher-kva.example' },
  { target: vault('http://%65vil.example/'), allow: ['evil.example'], kind: 'allowed', host: 'evil.example' },
  { target: vault('file:///etc/passwd'), allow: [], kind: 'declined' },
  { target: vault('not a url'), allow: [], kind: 'declined' },
  // A Vault token never goes to an AWS-named host without consent.
  { target: vault('https://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  // AWS's own Secrets Manager endpoints of the target's partition, over https, for AWS targets only.
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager-fips.us-east-1.amazonaws.com', 'us-east-1'), allow: [], kind: 'allowed' },
  { target: aws1('https://vpce-0a1b2c3d4e5f-abcdefgh.secretsmanager.eu-west-1.vpce.amazonaws.com'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager.cn-north-1.amazonaws.com.cn', 'cn-north-1'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager.cn-north-1.amazonaws.com.cn'), allow: [], kind: 'ask' },
  { target: aws1('http://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com:8443'), allow: [], kind: 'ask' },
  { target: aws1('https://ec2-203-0-113-25.compute-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://my-elb-123.eu-west-1.elb.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://abc123.execute-api.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('http://bucket.s3-website-eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com.evil.example'), allow: [], kind: 'ask' },
];
