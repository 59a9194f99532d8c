/**
 * Rules for an AWS Secrets Manager reference: the JSON object that `AwsSecretsManagerParams` (strict Jackson) reads.
 * Pure: works on the parsed JSON tree and reports in document offsets through a SpanMapper.
 */
import { Node } from 'jsonc-parser';
import { isWellFormedRegion, nearestRegion, partitionOfRegion, regionInfo } from '../regions/regions';
import { members } from './json';
import { addAt, isHttpUri, replaceString, RuleContext, stringMembers } from './jsonRules';

export const AWS_KEYS = ['region', 'secretId', 'secretPointer', 'endpointOverride'] as const;
export type AwsKey = (typeof AWS_KEYS)[number];
export const AWS_REQUIRED: readonly AwsKey[] = ['region', 'secretId'];

export interface AwsReference {
  readonly region?: string;
  readonly secretId?: string;
  readonly secretPointer?: string;
  readonly endpointOverride?: string;
}

export interface AwsKeyDoc {
  readonly required: boolean;
  readonly summary: string;
}

export const AWS_KEY_DOCS: Record<AwsKey, AwsKeyDoc> = {
  region: { required: true, summary: 'The AWS region ID where the secret lives, e.g. `ap-southeast-2`.' },
  secretId: {
    required: true,
    summary: 'The secret name or its full ARN, passed to GetSecretValue as `SecretId` (the AWSCURRENT version is read).',
  },
  secretPointer: {
    required: false,
    summary: 'An RFC 6901 JSON Pointer into a key/value secret, e.g. `/password`. Omit it for a plaintext secret. Must start with `/`.',
  },
  endpointOverride: {
    required: false,
    summary: 'An absolute http(s) URI for the Secrets Manager endpoint (VPC endpoint, FIPS endpoint, a local test server).',
  },
};

/** Replaces a JSON text span; the adapter escapes `newJsonText` for the host format. */
/** The AWS rules read the same context as every store's rules. */
export type AwsRuleContext = RuleContext;

/** `arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>` */
const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

export interface ParsedArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

export function parseSecretArn(arn: string): ParsedArn | undefined {
  const m = ARN.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3], name: m[4] } : undefined;
}

const add = addAt;

/** Validates the object; returns the reference as the product would read it (strings only). */
export function validateAwsObject(obj: Node, ctx: AwsRuleContext): AwsReference {
  const { values, present } = stringMembers(obj, ctx, {
    known: AWS_KEYS,
    required: AWS_REQUIRED,
    parser: 'Jackson',
    codes: { unknown: 'aws-unknown-key', valueType: 'aws-value-type' },
    storeName: 'AWS Secrets Manager store',
    // UNCONFIRMED whether an empty pointer counts as none (the whole secret) or as "/" (an empty password).
    emptyWarns: ['secretPointer'],
  });
  const region = values.get('region');
  const secretId = values.get('secretId');
  const secretPointer = values.get('secretPointer');
  const endpointOverride = values.get('endpointOverride');
  if (region) checkRegion(ctx, region);
  if (secretId) checkSecretId(ctx, secretId, obj);
  if (secretPointer) checkPointer(ctx, secretPointer);
  if (endpointOverride) checkEndpoint(ctx, endpointOverride);
  const missing = AWS_REQUIRED.filter((k) => !present.has(k));
  if (missing.length > 0) {
    add(ctx, obj, {
      code: 'aws-missing-key',
      severity: 'error',
      message:
        `The AWS reference has no ${missing.map((k) => `"${k}"`).join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} required; ` +
        'the product will not start. Add ' +
        missing.map((k) => `"${k}":"…"`).join(' and ') +
        '.',
    });
  }
  return {
    ...(region ? { region: region.text } : {}),
    ...(secretId ? { secretId: secretId.text } : {}),
    ...(secretPointer ? { secretPointer: secretPointer.text } : {}),
    ...(endpointOverride ? { endpointOverride: endpointOverride.text } : {}),
  };
}

interface Member {
  readonly text: string;
  readonly node: Node;
}

function checkRegion(ctx: AwsRuleContext, { text: region, node: value }: Member): void {
  if (regionInfo(region)) return;
  const suggestion = nearestRegion(region);
  const fixes = suggestion ? [replaceString(ctx, value, suggestion, `Change region to "${suggestion}" (${regionInfo(suggestion)?.name})`)] : undefined;
  if (!isWellFormedRegion(region)) {
    add(ctx, value, {
      code: 'aws-region-invalid',
      severity: 'error',
      message:
        `"${region}" is not an AWS region ID; the product will fail to reach Secrets Manager at start-up. ` +
        (suggestion ? `Did you mean "${suggestion}" (${regionInfo(suggestion)?.name})?` : 'Use an ID such as "us-east-1".'),
      fixes,
    });
  } else {
    add(ctx, value, {
      code: 'aws-region-unknown',
      severity: 'warning',
      message:
        `"${region}" looks like a region ID but is not one the AWS SDK knows; unless it is brand new, the product will fail to reach it. ` +
        (suggestion ? `Did you mean "${suggestion}" (${regionInfo(suggestion)?.name})?` : 'Check the region ID.'),
      fixes,
    });
  }
}

function checkSecretId(ctx: AwsRuleContext, { text: id, node: value }: Member, obj: Node): void {
  if (id.startsWith('arn:')) {
    const arn = parseSecretArn(id);
    if (!arn) {
      add(ctx, value, {
        code: 'aws-arn-invalid',
        severity: 'error',
        message:
          'This ARN is not a Secrets Manager secret ARN, so GetSecretValue will reject it. ' +
          'Use arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>, or just the secret name.',
      });
      return;
    }
    const regionNode = members(obj).find((m) => m.key.value === 'region')?.value;
    const region = regionNode?.type === 'string' ? (regionNode.value as string) : undefined;
    if (region && region !== arn.region) {
      add(ctx, value, {
        code: 'aws-arn-region-mismatch',
        severity: 'error',
        message:
          `The ARN names region ${arn.region} but "region" is ${region}; the client for ${region} will not find the secret. ` +
          `Set "region" to "${arn.region}".`,
        fixes: regionNode ? [replaceString(ctx, regionNode, arn.region, `Set region to "${arn.region}"`)] : undefined,
      });
    } else if (region) {
      const partition = partitionOfRegion(region);
      if (partition && partition.id !== arn.partition) {
        add(ctx, value, {
          code: 'aws-arn-region-mismatch',
          severity: 'error',
          message: `The ARN is in partition ${arn.partition} but region ${region} is in ${partition.id}; the secret cannot be found. Fix the ARN or the region.`,
        });
      }
    }
    return;
  }
  const badIndex = id.search(/[^A-Za-z0-9/_+=.@-]/u);
  const badChar = badIndex >= 0 ? String.fromCodePoint(id.codePointAt(badIndex)!) : undefined;
  if (badChar !== undefined || id.length > 512) {
    add(ctx, value, {
      code: 'aws-secret-id-invalid',
      severity: 'error',
      message:
        (id.length > 512
          ? `The secret name is ${id.length} characters long; Secrets Manager names have at most 512. `
          : `The secret name contains ${JSON.stringify(badChar)}, which Secrets Manager does not allow in names. `) +
        'Use letters, digits and / _ + = . @ - only, or the secret ARN.',
    });
  }
}

function checkPointer(ctx: AwsRuleContext, { text: pointer, node: value }: Member): void {
  if (value.type === 'string' && /~(?![01])/.test(pointer)) {
    const raw = ctx.json.slice(value.offset + 1, value.offset + value.length - 1);
    const at = /~(?![01])/.exec(raw)?.index ?? 0;
    const from = value.offset + 1 + at;
    const span = ctx.map(from, Math.min(from + 2, value.offset + value.length - 1));
    ctx.out.push({
      code: 'aws-pointer-invalid',
      severity: 'warning',
      start: span.start,
      end: span.end,
      message:
        'In a JSON Pointer "~" must be followed by 0 (for ~) or 1 (for /). Jackson is lenient here and reads the "~" as it is, ' +
        'so this names a key with a tilde in it, which is rarely what was meant. Write ~0 for a literal tilde.',
      fixes: [replaceString(ctx, value, pointer.replace(/~(?![01])/g, '~0'), 'Escape "~" as "~0"')],
    });
  }
  if (!pointer.startsWith('/')) {
    add(ctx, value, {
      code: 'aws-pointer-no-slash',
      severity: 'warning',
      message: `The secretPointer "${pointer}" does not start with "/"; the product adds it and logs a warning at every start. ` + `Write "/${pointer}".`,
      fixes: [replaceString(ctx, value, '/' + pointer, `Change to "/${pointer}"`)],
    });
  }
}

function checkEndpoint(ctx: AwsRuleContext, { text, node: value }: Member): void {
  if (!isHttpUri(text)) {
    add(ctx, value, {
      code: 'aws-endpoint-invalid',
      severity: 'error',
      message:
        'endpointOverride must be an absolute http(s) URI such as "https://secretsmanager.us-east-1.amazonaws.com"; ' +
        'the product will fail to build its client. Fix the URI or remove the key.',
    });
  }
}

/**
 * Fast path for the common case, a reference with nothing wrong: V8's JSON.parse is as strict as Jackson (no
 * comments, no trailing commas, no trailing content), so when it succeeds, the top-level keys are unique and every
 * AWS rule passes on the plain values, there is nothing to report and no syntax tree is needed. Returns the
 * reference then, or undefined whenever anything could produce a finding: the caller re-parses with jsonc-parser,
 * which gives the exact ranges.
 */
export function quickValidAwsReference(json: string): AwsReference | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  let count = 0;
  for (const key in obj) {
    count++;
    if (!(AWS_KEYS as readonly string[]).includes(key)) return undefined;
    const v = obj[key];
    if (typeof v !== 'string' || v === '') return undefined;
  }
  const { region, secretId, secretPointer, endpointOverride } = obj as AwsReference;
  if (region === undefined || secretId === undefined) return undefined;
  if (!regionInfo(region)) return undefined;
  if (secretId.startsWith('arn:')) {
    const arn = parseSecretArn(secretId);
    if (!arn || arn.region !== region || partitionOfRegion(region)?.id !== arn.partition) return undefined;
  } else if (secretId.length > 512 || /[^A-Za-z0-9/_+=.@-]/.test(secretId)) {
    return undefined;
  }
  if (secretPointer !== undefined && (!secretPointer.startsWith('/') || /~(?![01])/.test(secretPointer))) return undefined;
  if (endpointOverride !== undefined) return undefined; // URI checks stay on the full path
  if (topLevelKeyCount(json) !== count) return undefined; // a repeated key, which JSON.parse silently merges
  // The parsed object has exactly these keys (checked above): it is the reference, with no copy.
  return obj;
}

/** The number of top-level members of a JSON object text already known to be valid. */
function topLevelKeyCount(json: string): number {
  let depth = 0;
  let inString = false;
  let members = 0;
  let sawValue = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      if (depth === 1 && !sawValue) {
        members++;
        sawValue = true;
      }
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1) sawValue = false;
  }
  return members;
}
