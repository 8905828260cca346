import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { numberSize } from '../../../../src/records/itemSize.js';

/** Query and Scan stop a page once the items read reach 1 MB. */
const MAX_PAGE_BYTES = 1024 * 1024;

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');
const binaryLength = (base64: string): number => Buffer.byteLength(base64, 'base64');

/**
 * The size a value takes in DynamoDB's storage format, where names are one byte and values carry length
 * prefixes (`compress`), or its plain size. Modelled on dynalite, whose figures were fitted to where real
 * DynamoDB cuts its 1 MB pages.
 */
const storedValueSize = (value: AttributeValue, compress: boolean): number => {
  const size = valueSize(value, compress);
  if (!compress) return size;
  if ('S' in value) return size + (size < 128 ? 1 : size < 16384 ? 2 : 3);
  if ('B' in value || 'N' in value) return size + 1;
  if ('SS' in value) return size + value.SS.length + 1;
  if ('NS' in value) return size + value.NS.length + 1;
  if ('BS' in value) return size + value.BS.length + 1;
  if ('NULL' in value) return 0;
  if ('BOOL' in value) return 1;
  return size; // L and M carry their own overhead
};

const valueSize = (value: AttributeValue, compress: boolean): number => {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return binaryLength(value.B);
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8Length(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + binaryLength(b), 0);
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + storedValueSize(v, compress), 0);
  if ('M' in value) return 3 + Object.keys(value.M).length + mapSize(value.M, compress, undefined).size;
  return 1; // NULL and BOOL
};

const mapSize = (
  item: AttributeMap,
  compress: boolean,
  rangeKey: string | undefined,
): { size: number; rangeKeySize: number } => {
  let size = 0;
  let rangeKeySize = 0;
  for (const name of Object.keys(item)) {
    const value = item[name] as AttributeValue;
    if (compress && name === rangeKey) {
      rangeKeySize = storedValueSize(value, false);
      continue;
    }
    size += storedValueSize(value, compress) + (compress ? 1 : utf8Length(name));
  }
  return { size, rangeKeySize };
};

/**
 * How much of a Query or Scan page's 1 MB an item uses: its stored size plus per-item metadata, which grows
 * with the table's sort key (`rangeKey`, the table's, also for index reads) and with every 3 KB of item.
 */
const pageItemSize = (item: AttributeMap, rangeKey: string | undefined): number => {
  const { size, rangeKeySize } = mapSize(item, true, rangeKey);
  return 2 + size + (1 + Math.floor((1 + size) / 3072)) * (18 + rangeKeySize);
};

export { MAX_PAGE_BYTES, pageItemSize };
