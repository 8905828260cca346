import { ReceivedHeaderValues } from './sigv4/canonicalHeaders.js';

/**
 * Whether the header name at `start` (up to `end`) of `block` is `name`, ignoring case, without cutting it out.
 * `name` is lower case letters, digits and `-`; the block's names are RFC 9110 tokens (plainRequests.ts checks
 * them), and among tokens only upper-case letters meet a lower-case letter under `| 0x20`.
 */
const nameIs = (block: string, start: number, end: number, name: string): boolean => {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i += 1) {
    if ((block.charCodeAt(start + i) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
};

/**
 * A request the fast path serves (plainRequests.ts): its target, its body, and its headers as they were
 * received, kept as the header block's text and where each name and value lies in it. A request reads four or
 * five headers (a signed one a dozen): they are cut out of the block when asked for, not all up front.
 */
class PlainRequest extends ReceivedHeaderValues {
  readonly url: string;
  readonly body: Buffer;
  /** The header lines, each `name:value` and CRLF. */
  readonly #block: string;
  /** Per header: name start, name end (its colon), value start, value end (spaces trimmed), in order. */
  readonly #spans: readonly number[];
  #rawHeaders: string[] | undefined;

  constructor(url: string, block: string, spans: readonly number[], body: Buffer) {
    super();
    this.url = url;
    this.#block = block;
    this.#spans = spans;
    this.body = body;
  }

  /** Header names and values as received, in order, as node's `rawHeaders` gives them. */
  get rawHeaders(): readonly string[] {
    if (this.#rawHeaders === undefined) {
      const raw: string[] = [];
      const spans = this.#spans;
      for (let i = 0; i < spans.length; i += 4) {
        raw.push(
          this.#block.slice(spans[i] as number, spans[i + 1] as number),
          this.#block.slice(spans[i + 2] as number, spans[i + 3] as number),
        );
      }
      this.#rawHeaders = raw;
    }
    return this.#rawHeaders;
  }

  /** Every value received for a header (`name` in lower case), in order; undefined when it was not sent. */
  get(name: string): readonly string[] | undefined {
    const spans = this.#spans;
    const block = this.#block;
    let values: string[] | undefined;
    for (let i = 0; i < spans.length; i += 4) {
      if (!nameIs(block, spans[i] as number, spans[i + 1] as number, name)) continue;
      const value = block.slice(spans[i + 2] as number, spans[i + 3] as number);
      if (values === undefined) values = [value];
      else values.push(value);
    }
    return values;
  }
}

export { nameIs, PlainRequest };
