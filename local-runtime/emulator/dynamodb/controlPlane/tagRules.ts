import { validationException } from '../../errors.js';

interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** AWS's limits on the tags of one resource. */
const MAX_TAGS = 50;
const MAX_TAG_SET_BYTES = 10_240;

/** Letters, digits and spaces of any script, and `+ - = . _ : / @` (AWS's tag character set). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const codePoints = (text: string): number => [...text].length;

const describe = (value: unknown): string => (value === undefined || value === null ? 'null' : String(value));

/** Checks one tag key, for TagResource, UntagResource and CreateTable alike. */
const checkTagKey = (key: unknown): string => {
  if (typeof key !== 'string' || codePoints(key) < 1 || codePoints(key) > 128 || !TAG_CHARACTERS.test(key)) {
    throw validationException(`The Tag Key provided is invalid, Key: ${describe(key)}`);
  }
  // Keys under `aws:` belong to AWS, whatever their case.
  if (key.toLowerCase().startsWith('aws:')) {
    throw validationException(`Tag Key cannot be prefixed with aws:, Key: ${key}`);
  }
  return key;
};

/**
 * Checks a list of tags with DynamoDB's messages, tag by tag (key, then value), then for duplicate keys; the
 * whole request fails on the first bad tag, so nothing is applied.
 */
const checkTags = (tags: readonly unknown[]): Tag[] => {
  const checked = tags.map((tag) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    const key = checkTagKey(Key);
    if (typeof Value !== 'string' || codePoints(Value) > 256 || !TAG_CHARACTERS.test(Value)) {
      throw validationException(`The Tag Value provided is invalid, Value: ${describe(Value)}`);
    }
    return { Key: key, Value };
  });
  const seen = new Set<string>();
  for (const { Key } of checked) {
    if (seen.has(Key)) {
      throw validationException(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${Key}`);
    }
    seen.add(Key);
  }
  return checked;
};

/**
 * Merges tags into a resource's tag set, checking the merged set against AWS's limits (50 tags, 10 KiB of keys
 * and values): upserting existing keys at the limit is fine, any new key beyond it is not.
 */
const mergeTags = (current: ReadonlyMap<string, string>, tags: readonly Tag[]): Map<string, string> => {
  const merged = new Map(current);
  for (const { Key, Value } of tags) merged.set(Key, Value);
  if (merged.size > MAX_TAGS) {
    throw validationException('Number of Tags exceed the current limit for the provided ResourceArn');
  }
  let bytes = 0;
  for (const [key, value] of merged) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (bytes > MAX_TAG_SET_BYTES) {
    throw validationException(
      `Tag set size ${bytes} bytes is above max size limit of ${MAX_TAG_SET_BYTES} bytes`,
    );
  }
  return merged;
};

export type { Tag };
export { checkTagKey, checkTags, MAX_TAGS, mergeTags };
