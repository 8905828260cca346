/** The bottom of the deserialize step, next to the HTTP handler: what comes back is the raw HTTP response. */
type RawResponseMiddleware = (
  next: (args: unknown) => Promise<{ response: unknown }>,
) => (args: unknown) => Promise<{ response: unknown }>;

/**
 * Sends `command` through `client` (its endpoint, credentials, signing, retries and errors) and hands `take`
 * the JSON body of a 200 response, parsed once, and its text, before the SDK's deserializer sees it: `take`
 * keeps what it needs and returns the members the SDK should still deserialize. Error responses go to the SDK untouched, so
 * its exceptions and retries are unchanged. A client that does not run middleware (a stub) never calls `take`:
 * callers fall back to the SDK's output.
 *
 * Why: the SDK's deserializer turns every attribute value into its own shapes (Uint8Array, Date), which the
 * runtime then turns back into the wire form Lambda events carry (binary as base64); for pages of items those
 * two walks cost more CPU than everything else done with them.
 * @internal
 */
const sendTakingJson = async <Output>(
  client: { send(command: never, options?: { abortSignal?: AbortSignal }): Promise<Output> },
  command: { readonly middlewareStack: unknown },
  take: (parsed: Record<string, unknown>, text: string) => Record<string, unknown>,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<Output> => {
  const stack = command.middlewareStack as {
    add(
      middleware: RawResponseMiddleware,
      options: { step: 'deserialize'; priority: 'low'; name: string },
    ): void;
  };
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== 200) return result;
      const text = await bodyText(response.body);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      response.body = Buffer.from(JSON.stringify(take(parsed, text)));
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'eddyTakeJson' },
  );
  // Always with an options object: a client configured with `cacheMiddleware: true` reuses the first command's
  // resolved stack when `send` gets none, which would skip this command's own middleware.
  return client.send(command as never, options);
};

/** The whole body of a Node HTTP response (a readable stream) or of one already in memory, as UTF-8 text. */
const bodyText = async (body: unknown): Promise<string> => {
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString();
};

export { sendTakingJson };
