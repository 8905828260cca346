/**
 * An operation's output already in its wire form. GetRecords answers with records that were serialized once,
 * when they were written, so a read joins stored text instead of building and serializing objects: the server
 * sends the text as it is, in-process callers get it parsed.
 */
class JsonText {
  constructor(readonly text: string) {}
}

/** An output as the bytes of a response body. */
const outputText = (output: unknown): string =>
  output instanceof JsonText ? output.text : JSON.stringify(output);

/** An output as the plain value an in-process caller reads. */
const outputValue = (output: unknown): unknown =>
  output instanceof JsonText ? JSON.parse(output.text) : output;

export { JsonText, outputText, outputValue };
