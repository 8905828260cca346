import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** What came back for one request: an answer, no answer in time, a dropped connection, or not sendable. */
type Outcome =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connectionError'; readonly message: string }
  /** node's client refused to send it (a header value it does not allow): never reached the emulator. */
  | { readonly kind: 'unsendable'; readonly message: string };

interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

/**
 * Sends raw requests to one emulator over keep-alive connections, one at a time. A connection the server
 * closed between two requests shows up as a reset on reuse; such a request is sent again on a new connection,
 * so only a connection dropped while the emulator had the request counts as `connectionError`.
 */
class RawClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly port: number,
    readonly timeoutMs: number,
  ) {}

  async send(raw: RawRequest): Promise<Outcome> {
    const first = await this.#once(raw);
    if (first.outcome.kind === 'connectionError' && first.reused) return (await this.#once(raw)).outcome;
    return first.outcome;
  }

  close(): void {
    this.#agent.destroy();
  }

  #once(raw: RawRequest): Promise<{ outcome: Outcome; reused: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      let reused = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ outcome, reused });
      };
      const timer = setTimeout(() => {
        done({ kind: 'timeout' });
        request?.destroy();
      }, this.timeoutMs);
      let request: ReturnType<typeof httpRequest> | undefined;
      try {
        const chunked = Object.keys(raw.headers).some((h) => h.toLowerCase() === 'transfer-encoding');
        request = httpRequest({
          host: '127.0.0.1',
          port: this.port,
          method: raw.method,
          path: raw.path,
          agent: this.#agent,
          headers: chunked ? raw.headers : { ...raw.headers, 'content-length': String(raw.body.length) },
          // Our own Host header is sent as given.
          setHost: false,
        });
      } catch (error) {
        done({ kind: 'unsendable', message: (error as Error).message });
        return;
      }
      request.on('socket', () => {
        reused = request?.reusedSocket ?? false;
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          done({
            kind: 'answer',
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', (error) => done({ kind: 'connectionError', message: error.message }));
      });
      request.on('error', (error) => done({ kind: 'connectionError', message: error.message }));
      request.end(raw.body);
    });
  }
}

export type { Outcome, RawRequest };
export { RawClient };
