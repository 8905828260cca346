import { readOracle } from './oracles.js';

/**
 * Reading LocalStack snapshot recordings (test/fixtures/aws-recordings) and normalising our own output the way
 * LocalStack's snapshot transformers normalised AWS's, so the two can be compared value for value.
 *
 * What LocalStack did to AWS's responses before storing them (localstack-core/.../transformer_utility.py and
 * localstack_snapshot's KeyValueBasedTransformer):
 * - a key-value transformer with reference replacement collects every non-empty value of its key, in document
 *   order, numbers them per replacement name (`<sequence-number:1>`, `<sequence-number:2>` …) and replaces the
 *   value *everywhere* in the test's recorded content (so a table name inside an ARN becomes `<table-name:1>`);
 *   transformers run in the order they were added, so a value already taken by an earlier one (LatestStreamLabel)
 *   keeps that name where a later one (StreamLabel) meets it again;
 * - a key-value transformer without reference replacement replaces only that key's value, with a fixed text;
 * - always: the region becomes `<region>`, the partition `<partition>` (in ARNs), the account `111111111111`;
 * - botocore gave timestamps as datetime objects, stored as "datetime"; bytes as Python's repr (`b'\x90'`).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One recorded test's content: snapshot key → recorded value. */
const recordedContent = (file: string, test: string): Record<string, Json> => {
  const oracle = readOracle(file);
  const key = Object.keys(oracle).find((k) => k.endsWith(`::${test}`));
  if (key === undefined) throw new Error(`no recording ${test} in ${file}`);
  return (oracle[key] as { 'recorded-content': Record<string, Json> })['recorded-content'];
};

/** Python's `repr(bytes)`, as LocalStack stored binary values it did not transform. */
const pythonBytesRepr = (bytes: Uint8Array): string => {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x5c) text += '\\\\';
    else if (byte === 0x27) text += "\\'";
    else if (byte === 0x09) text += '\\t';
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x0d) text += '\\r';
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b'${text}'`;
};

/**
 * An SDK v3 output as botocore would have handed it to LocalStack's snapshot: `$metadata` becomes
 * `ResponseMetadata` (headers are dropped by LocalStack), dates become "datetime", bytes their Python repr,
 * absent members vanish.
 */
const botocoreView = (value: unknown): Json => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return 'datetime';
  if (value instanceof Uint8Array) return pythonBytesRepr(value);
  if (Array.isArray(value)) return value.map(botocoreView);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member === undefined) continue;
      if (key === '$metadata') continue;
      out[key] = botocoreView(member);
    }
    const metadata = (value as { $metadata?: { httpStatusCode?: number } }).$metadata;
    if (metadata !== undefined) {
      out.ResponseMetadata = { HTTPHeaders: {}, HTTPStatusCode: metadata.httpStatusCode ?? null };
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`cannot show ${typeof value} as a recorded value`);
};

/** How one key's values are replaced. */
type KeyRule =
  /** Reference replacement: `<name:N>`, the value replaced everywhere. */
  | { readonly reference: string }
  /** The key's value (whatever its type) replaced by a fixed text, nowhere else. */
  | { readonly fixed: string };

interface NormaliserOptions {
  /** Keys and how their values are replaced, in the order LocalStack's transformers were added. */
  readonly keys: ReadonlyArray<readonly [key: string, rule: KeyRule]>;
  /** Our region, account and partition, replaced as LocalStack replaces AWS's. */
  readonly region: string;
  readonly accountId: string;
  /** Regular expressions replaced in every string (LocalStack's RegexTransformer). */
  readonly regexes?: ReadonlyArray<readonly [pattern: RegExp, replacement: string]>;
}

/** Normalises a document (our side of a recorded test) as LocalStack's transformers did AWS's side. */
class SnapshotNormaliser {
  readonly #o: NormaliserOptions;
  /** value → placeholder, for reference replacements. */
  readonly #references = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  constructor(options: NormaliserOptions) {
    this.#o = options;
  }

  /**
   * Registers `value` for reference replacement under `name` unless it already has a placeholder, and returns
   * its placeholder. Used directly for values LocalStack found through transformers that are not key based
   * (the `resource` names it extracts from ARNs).
   */
  register(name: string, value: string): string {
    const known = this.#references.get(value);
    if (known !== undefined) return known;
    const n = (this.#counters.get(name) ?? 0) + 1;
    this.#counters.set(name, n);
    const placeholder = `<${name}:${n}>`;
    this.#references.set(value, placeholder);
    return placeholder;
  }

  /** The placeholder a value got, if any. */
  placeholderOf(value: string): string | undefined {
    return this.#references.get(value);
  }

  normalise(doc: Json): Json {
    // Pass 1: each reference rule collects its values in document order, rules in the order they were added.
    for (const [key, rule] of this.#o.keys) {
      if (!('reference' in rule)) continue;
      walk(doc, (k, v) => {
        if (k === key && typeof v === 'string' && v !== '') this.register(rule.reference, v);
      });
    }
    return this.#rewrite(doc, undefined);
  }

  #rewrite(value: Json, key: string | undefined): Json {
    if (key !== undefined) {
      const rule = this.#o.keys.find(([k]) => k === key)?.[1];
      if (rule !== undefined && 'fixed' in rule && value !== null && value !== '') return rule.fixed;
    }
    if (typeof value === 'string') return this.#text(value);
    if (Array.isArray(value)) return value.map((v) => this.#rewrite(v, undefined));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(value)) out[this.#text(k)] = this.#rewrite(v, k);
      return out;
    }
    return value;
  }

  #text(text: string): string {
    let out = text;
    // Longest values first, so a value that contains another is replaced whole.
    const values = [...this.#references.keys()].sort((a, b) => b.length - a.length);
    for (const value of values) out = out.split(value).join(this.#references.get(value) as string);
    for (const [pattern, replacement] of this.#o.regexes ?? []) out = out.replace(pattern, replacement);
    out = out.split(`arn:aws:`).join('arn:<partition>:');
    out = out.split(this.#o.region).join('<region>');
    out = out.split(this.#o.accountId).join('111111111111');
    return out;
  }
}

const walk = (value: Json, visit: (key: string, value: Json) => void): void => {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v);
      walk(v, visit);
    }
  }
};

/** A recorded response without its ResponseMetadata (status compared separately where it matters). */
const withoutMetadata = (value: Json | undefined): Json | undefined => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { ResponseMetadata: _dropped, ...rest } = value;
  return rest;
};

export type { Json, KeyRule, NormaliserOptions };
export { botocoreView, pythonBytesRepr, recordedContent, SnapshotNormaliser, withoutMetadata };
