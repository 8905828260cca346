/** A middleware of the SDK's stack, typed only as far as this module uses it. */
type Middleware = (
  next: (args: { input: unknown; request?: unknown }) => Promise<unknown>,
) => (args: { input: unknown; request?: unknown }) => Promise<unknown>;

/** Uint8Array values (attribute values of type B and BS) go on the wire as base64, as the SDK sends them. */
const base64Bytes = (_key: string, value: unknown): unknown =>
  value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    : value;

/**
 * The input as JSON. A Uint8Array comes out of the plain writer as an object of its indexes, so a text where a
 * `B` or `BS` tag is followed by an object is written again with the base64 replacer (rarely: the replacer is
 * called for every value and costs more than the writing itself). Inside a JSON string a quote is always
 * escaped, so those tags can only be the text's own keys: an attribute named `B` in a map may also match, and
 * only costs the second writing.
 */
const jsonOf = (input: object): string => {
  const plain = JSON.stringify(input);
  return plain.includes('"B":{') || plain.includes('"BS":[{') ? JSON.stringify(input, base64Bytes) : plain;
};

/**
 * Makes `command` send its input as `JSON.stringify` writes it (binary as base64) instead of through the SDK's
 * serializer, which is handed `emptyInput` instead: the SDK still resolves the endpoint, signs the request,
 * retries it and turns errors into exceptions, only the body is made natively. For AWS JSON protocols
 * (DynamoDB's `application/x-amz-json-1.0`), whose body is the input's members as they are named, when the
 * input is already in wire shape (attribute values as `{ S: … }` objects). A client that does not run
 * middleware (a stub) sees the command's real input.
 *
 * Why: for a batch of PartiQL statements with their parameters, the SDK's schema-driven serializer walks every
 * attribute value and costs several times what the native JSON writer does, on the hot path of a projection.
 *
 * Send it with an options object (as `sendTakingJson` does): a client with `cacheMiddleware: true` reuses the
 * first command's middleware when `send` gets none, and this command's body would be lost.
 *
 * @example
 * const command = withJsonBody(new BatchExecuteStatementCommand({ Statements }), { Statements: [] });
 * await client.send(command, {});
 * @internal
 */
const withJsonBody = <C extends { readonly input: object; readonly middlewareStack: unknown }>(
  command: C,
  emptyInput: object,
): C => {
  const stack = command.middlewareStack as {
    add(
      middleware: Middleware,
      options: { step: 'serialize' | 'build'; priority: 'high'; name: string },
    ): void;
  };
  const body = jsonOf(command.input);
  stack.add((next) => (args) => next({ ...args, input: emptyInput }), {
    step: 'serialize',
    priority: 'high',
    name: 'eddyJsonBodyInput',
  });
  stack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown; headers: Record<string, string> };
      request.body = body;
      // The serializer measured the empty input; the content-length middleware only fills in a missing one.
      delete request.headers['content-length'];
      delete request.headers['Content-Length'];
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'eddyJsonBody' },
  );
  return command;
};

export { withJsonBody };
