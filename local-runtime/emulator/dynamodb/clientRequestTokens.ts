import { createHash } from 'node:crypto';
import { UndoableMap } from '../atomic/UndoableMap.js';
import type { Region } from '../Region.js';

/** A ClientRequestToken makes TransactWriteItems idempotent for 10 minutes after the first request completes. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

interface TokenRecord {
  /** The request the token was first used with, in a canonical spelling (see `requestFingerprint`). */
  readonly fingerprint: string;
  readonly expiresAt: number;
}

// Per region, as tokens are per account and region; weakly held, so a discarded emulator takes its tokens along.
const tokensByRegion = new WeakMap<Region, Map<string, TokenRecord>>();

const tokensOf = (region: Region): Map<string, TokenRecord> => {
  let tokens = tokensByRegion.get(region);
  if (tokens === undefined) {
    // Undoable: a transaction that fails after remembering its token must not keep it.
    tokens = new UndoableMap();
    tokensByRegion.set(region, tokens);
  }
  return tokens;
};

/**
 * JSON with object keys sorted, so two equal requests spell alike whatever their key order. Built into one
 * string as it goes: a transaction of 100 puts is walked once per request (the SDK gives every
 * TransactWriteItems a token, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#DDB-TransactWriteItems-request-ClientRequestToken).
 */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${text}]`;
  }
  if (value !== null && typeof value === 'object') {
    // Default sort: UTF-16 code unit order, as the comparison operators give.
    const keys = Object.keys(value).sort();
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      text += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * The idempotency tokens of TransactWriteItems: which token was used with which request, until when. Only
 * transactions that succeeded are remembered; a cancelled or invalid one wrote nothing and may be retried.
 */
const clientRequestTokens = {
  /** The record of a token still in its window at `now`, or undefined. */
  lookup(region: Region, token: string, now: number): TokenRecord | undefined {
    const tokens = tokensOf(region);
    const record = tokens.get(token);
    if (record !== undefined && record.expiresAt <= now) {
      tokens.delete(token);
      return undefined;
    }
    return record;
  },
  /** Remembers a token after its transaction succeeded at `now`. */
  remember(region: Region, token: string, fingerprint: string, now: number): void {
    const tokens = tokensOf(region);
    // Records are kept in the order they were made, which is the order they expire in: drop the expired head.
    for (const [other, record] of tokens) {
      if (record.expiresAt > now) break;
      tokens.delete(other);
    }
    tokens.set(token, { fingerprint, expiresAt: now + TOKEN_LIFETIME_MS });
  },
};

/**
 * What makes two TransactWriteItems requests "the same request" for a token: their actions, as the SHA-256 of
 * their canonical JSON. A digest rather than the text: tokens are kept 10 minutes, and a transaction's text is
 * up to 4 MB.
 */
const requestFingerprint = (transactItems: unknown): string =>
  createHash('sha256').update(canonicalJson(transactItems)).digest('base64');

export type { TokenRecord };
export { clientRequestTokens, requestFingerprint, TOKEN_LIFETIME_MS };
