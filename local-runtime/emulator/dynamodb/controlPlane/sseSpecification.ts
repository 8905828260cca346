import { createHash } from 'node:crypto';
import { validationException } from '../../errors.js';
import type { Region } from '../../Region.js';
import type { Constraints } from '../../validation/Constraints.js';

/** What an SSESpecification asks for once validated. */
interface SseRequest {
  /** True for a KMS key (AWS managed or customer managed), false for the AWS owned key. */
  readonly enabled: boolean;
  /** The key the table is encrypted with when enabled, as DescribeTable reports it (always a key ARN). */
  readonly kmsMasterKeyArn?: string;
  /** KMSMasterKeyId exactly as given: only a re-send of the current key's ARN is refused as a no-op. */
  readonly kmsMasterKeyId?: string;
}

interface WireSseSpecification {
  readonly Enabled?: unknown;
  readonly SSEType?: unknown;
  readonly KMSMasterKeyId?: unknown;
}

const invalid = (detail: string) =>
  validationException(`One or more parameter values were invalid: ${detail}`);

/** Adds SSESpecification's shape constraints (the generic validator's part) to a request's constraints. */
const checkSseShape = (constraints: Constraints, value: unknown): void => {
  if (value === undefined || value === null) return;
  constraints.oneOf('sSESpecification.sSEType', (value as WireSseSpecification).SSEType, ['AES256', 'KMS']);
};

/**
 * A stable key id for a key named by alias: the emulator has no KMS, so an alias always resolves to the same
 * made-up key, in the shape of a KMS key id.
 */
const keyIdFor = (aliasArn: string): string => {
  const hex = createHash('sha256').update(aliasArn).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The key ARN KMSMasterKeyId names: a key ARN as it is, a key id in the caller's region and account, an alias
 * (name or ARN) resolved once, as DynamoDB does, to a key of its own.
 */
const kmsKeyArn = (keyId: string, region: Region): string => {
  const prefix = `arn:aws:kms:${region.name}:${region.accountId}:`;
  if (/^arn:aws[a-z-]*:kms:[^:]*:[^:]*:key\//.test(keyId)) return keyId;
  const aliasArn = keyId.startsWith('arn:')
    ? keyId
    : keyId.startsWith('alias/')
      ? `${prefix}${keyId}`
      : undefined;
  if (aliasArn !== undefined) {
    const [, region_ = region.name, account = region.accountId] =
      /^arn:[^:]+:kms:([^:]*):([^:]*):/.exec(aliasArn) ?? [];
    return `arn:aws:kms:${region_}:${account}:key/${keyIdFor(aliasArn)}`;
  }
  return `${prefix}key/${keyId}`;
};

/**
 * Validates an SSESpecification with DynamoDB's rules and messages (CreateTable and UpdateTable share them).
 * `Enabled` may be left out: `{}` means the AWS owned key, `{SSEType: KMS}` a KMS key.
 */
const readSseSpecification = (value: unknown, region: Region): SseRequest | undefined => {
  if (value === undefined || value === null) return undefined;
  const spec = value as WireSseSpecification;
  if (spec.Enabled === false && spec.SSEType !== undefined) {
    throw invalid('SSEType can not be specified if Enabled is false');
  }
  if (spec.Enabled === false && spec.KMSMasterKeyId !== undefined) {
    throw invalid('KMSMasterKeyId can not be specified if Enabled is false');
  }
  if (spec.SSEType === 'AES256') throw invalid('SSEType AES256 is not supported');
  if (spec.KMSMasterKeyId !== undefined && spec.SSEType !== 'KMS') {
    throw invalid('SSEType KMS is required if KMSMasterKeyId is specified');
  }
  const enabled = spec.Enabled === true || (spec.Enabled === undefined && spec.SSEType === 'KMS');
  if (!enabled) return { enabled };
  const keyId = typeof spec.KMSMasterKeyId === 'string' ? spec.KMSMasterKeyId : undefined;
  return {
    enabled,
    kmsMasterKeyArn: kmsKeyArn(keyId ?? 'alias/aws/dynamodb', region),
    ...(keyId === undefined ? {} : { kmsMasterKeyId: keyId }),
  };
};

export type { SseRequest };
export { checkSseShape, kmsKeyArn, readSseSpecification };
