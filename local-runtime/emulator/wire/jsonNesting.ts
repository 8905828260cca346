/**
 * The deepest JSON nesting a request body may have. A valid request nests far less: attribute values stop at
 * 32 levels (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html), two JSON
 * levels each (`{"M":{"a":…}}`), inside an envelope of at most six (`TransactItems[].Put.Item`). The bound is
 * kept far above that so that over-deep items (up to about 2,000 levels) still get DynamoDB's nesting
 * ValidationException from the shape check, and low enough that a 16 MiB body of brackets is refused after
 * reading a few kilobytes, before JSON.parse builds millions of objects. DynamoDB's own answer to such a body
 * is not documented.
 */
const MAX_JSON_NESTING = 5000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether a JSON text nests objects and arrays deeper than `limit`: one pass over the bytes, strings skipped,
 * no recursion and no allocation. A body shorter than the limit cannot nest deeper, so most requests skip the
 * scan. Malformed JSON is not judged here (JSON.parse does that).
 */
const nestsDeeperThan = (body: Uint8Array, limit: number = MAX_JSON_NESTING): boolean => {
  if (body.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
  }
  return false;
};

export { MAX_JSON_NESTING, nestsDeeperThan };
