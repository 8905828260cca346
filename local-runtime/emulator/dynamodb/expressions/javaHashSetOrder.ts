/** Java's `String.hashCode`: UTF-16 code units, `h = 31 * h + c` in 32-bit arithmetic. */
const javaStringHash = (text: string): number => {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
};

/**
 * The order a Java HashSet built from `total` keys iterates the given keys in. DynamoDB lists unused
 * placeholders in that order, so matching it makes the message byte-for-byte DynamoDB's (clients and tests
 * compare messages). The table has the power-of-two size `new HashSet<>(collection)` picks; keys in one bucket
 * keep their insertion order.
 */
const javaHashSetOrder = (keys: readonly string[], total: number = keys.length): string[] => {
  const wanted = Math.max(Math.floor(total / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  const bucket = (key: string) => {
    const hash = javaStringHash(key);
    return ((hash ^ (hash >>> 16)) & (capacity - 1)) >>> 0;
  };
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
};

export { javaHashSetOrder };
