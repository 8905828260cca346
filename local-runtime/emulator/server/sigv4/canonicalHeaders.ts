/** Header name (lower case) → every value received for it, in order. */
type HeaderValues = ReadonlyMap<string, readonly string[]>;

/**
 * Collects headers as received (node's `rawHeaders`: name, value, name, value …) by lower-case name. Node's
 * `request.headers` would not do: it drops repeated `host`, `content-type` or `authorization` values and joins
 * others with `, `, while SigV4 signs every value joined with a bare `,`.
 */
const collectHeaders = (rawHeaders: readonly string[]): HeaderValues => {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const list = values.get(name);
    if (list === undefined) values.set(name, [rawHeaders[i + 1] as string]);
    else list.push(rawHeaders[i + 1] as string);
  }
  return values;
};

/**
 * Headers as received, answering `get` from them directly and collecting them by name (`collectHeaders`) only if
 * something other than `get` is asked for: a request reads three or four headers (a signed one a dozen), so
 * looking each up is cheaper than collecting them all.
 */
abstract class ReceivedHeaderValues implements HeaderValues {
  #collected: HeaderValues | undefined;

  /** Header names and values as received, in order (node's `rawHeaders`). */
  abstract get rawHeaders(): readonly string[];

  /** Every value received for a header (`name` in lower case), in order; undefined when it was not sent. */
  abstract get(name: string): readonly string[] | undefined;

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return this.#all().size;
  }

  forEach(
    callback: (value: readonly string[], key: string, map: ReadonlyMap<string, readonly string[]>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.#all()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, readonly string[]]> {
    return this.#all().entries();
  }

  keys(): MapIterator<string> {
    return this.#all().keys();
  }

  values(): MapIterator<readonly string[]> {
    return this.#all().values();
  }

  [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.#all()[Symbol.iterator]();
  }

  #all(): HeaderValues {
    this.#collected ??= collectHeaders(this.rawHeaders);
    return this.#collected;
  }
}

/** The same map as `collectHeaders(rawHeaders)`, whose `get` scans the raw list. */
class RawHeaderValues extends ReceivedHeaderValues {
  readonly #rawHeaders: readonly string[];

  constructor(rawHeaders: readonly string[]) {
    super();
    this.#rawHeaders = rawHeaders;
  }

  get rawHeaders(): readonly string[] {
    return this.#rawHeaders;
  }

  get(name: string): readonly string[] | undefined {
    const raw = this.#rawHeaders;
    let values: string[] | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const header = raw[i] as string;
      if (header.length === name.length && header.toLowerCase() === name) {
        if (values === undefined) values = [raw[i + 1] as string];
        else values.push(raw[i + 1] as string);
      }
    }
    return values;
  }
}

const rawHeaderValues = (rawHeaders: readonly string[]): HeaderValues => new RawHeaderValues(rawHeaders);

/** A header value as SigV4 signs it: line breaks become spaces, runs of spaces one space, no outer spaces. */
const canonicalHeaderValue = (value: string): string =>
  value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');

/**
 * The canonical headers block: one `name:value` line per signed header, in the order the client listed them
 * in `SignedHeaders` (which SigV4 requires sorted; an unsorted list simply fails to match), repeated values
 * joined with `,`. A signed header that was not sent signs as empty, so the signature cannot match.
 */
const canonicalHeaders = (signedHeaders: readonly string[], headers: HeaderValues): string =>
  signedHeaders
    .map((name) => `${name}:${(headers.get(name) ?? []).map(canonicalHeaderValue).join(',')}\n`)
    .join('');

export type { HeaderValues };
export { canonicalHeaders, canonicalHeaderValue, collectHeaders, ReceivedHeaderValues, rawHeaderValues };
