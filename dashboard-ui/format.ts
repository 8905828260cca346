// How values read on the page: times, ages, sizes, DynamoDB JSON.

export const time = (ms: number | undefined): string =>
  ms === undefined
    ? '—'
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');

export const age = (ms: number): string =>
  ms < 1000
    ? `${Math.round(ms)} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;

export const bytes = (n: number): string =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** A long shard id or sequence number, cut in the middle: the ends are what tells them apart. */
export const short = (text: string, keep = 10): string =>
  text.length <= 2 * keep + 1 ? text : `${text.slice(0, keep)}…${text.slice(-keep)}`;

/** An AttributeValue (DynamoDB JSON) as plain JSON, as the SDK's unmarshall reads it. */
export const plain = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  const [type, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  switch (type) {
    case 'S':
    case 'B':
      return inner;
    case 'N':
      return Number(inner);
    case 'BOOL':
      return inner;
    case 'NULL':
      return null;
    case 'SS':
    case 'BS':
      return inner;
    case 'NS':
      return (inner as string[]).map(Number);
    case 'L':
      return (inner as unknown[]).map(plain);
    case 'M':
      return plainItem(inner as Record<string, unknown>);
    default:
      return value;
  }
};

export const plainItem = (item: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plain(value)]));
