import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { decodeBinary } from '../attributes/compareValues.js';

/** Length of a string's UTF-8 encoding, counted without encoding it. */
const utf8Length = (text: string): number => {
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      length += 4;
      i += 1;
    } else length += 3;
  }
  return length;
};

/**
 * What `size()` returns: a string's length in UTF-8 bytes, a binary's in bytes, the number of members of a
 * set, elements of a list or entries of a map. Numbers, booleans and NULL have no size (undefined), which makes
 * any comparison with it false.
 */
const sizeOf = (value: AttributeValue): number | undefined => {
  if ('S' in value) return utf8Length(value.S);
  if ('B' in value) return decodeBinary(value.B).length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
};

export { sizeOf, utf8Length };
