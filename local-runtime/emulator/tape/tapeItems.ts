import type { AttributeMap } from '../../../src/records/attributeValue.js';
import type { Tape } from '../../../src/tape/tapeFormat.js';

/** The table's items a tape implies, and what it could not tell. */
interface TapeItems {
  /** By key (in key-schema order): the item after the key's last record, or undefined when it was removed. */
  readonly items: ReadonlyMap<
    string,
    { readonly key: AttributeMap; readonly item: AttributeMap | undefined }
  >;
  /** Keys whose last record is an INSERT or MODIFY without a NewImage (KEYS_ONLY, OLD_IMAGE tapes). */
  readonly unknown: number;
}

/**
 * The state of each item as of a tape's last record, from its records in tape order (a tape keeps parent shards
 * before children, so an item's records come in the order they were written): NewImage for INSERT and MODIFY,
 * gone for REMOVE. A record without a NewImage (StreamViewType KEYS_ONLY or OLD_IMAGE,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html) does not say
 * what the item became: such a key is left out and counted in `unknown`.
 */
const tapeItems = (tape: Tape): TapeItems => {
  const names = tape.header.keySchema.map((k) => k.AttributeName);
  const items = new Map<string, { key: AttributeMap; item: AttributeMap | undefined }>();
  const unknown = new Set<string>();
  for (const { record } of tape.records) {
    const { Keys, NewImage } = record.dynamodb;
    const id = JSON.stringify(names.map((name) => Keys[name] ?? null));
    if (record.eventName === 'REMOVE') {
      unknown.delete(id);
      items.set(id, { key: Keys, item: undefined });
    } else if (NewImage === undefined) {
      items.delete(id);
      unknown.add(id);
    } else {
      unknown.delete(id);
      items.set(id, { key: Keys, item: NewImage });
    }
  }
  return { items, unknown: unknown.size };
};

export type { TapeItems };
export { tapeItems };
