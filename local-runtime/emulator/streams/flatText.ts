/**
 * A record's JSON text as one flat string, to be kept for the stream's 24 hours of retention.
 *
 * V8 builds a long `JSON.stringify` result as a rope: a tree of chunks joined by cons cells, about 190 bytes of
 * string headers and cells per record of the example template (~850 characters), and nothing reading the text
 * later (a GetRecords join) flattens it. Reading a character of a rope flattens it in place, and the next garbage
 * collection keeps only the flat string: the record then costs its characters plus one header (measured: 1,047
 * bytes a record as a rope, 856 flat; bench/devSoak.ts). The character read is a check that the text is a JSON
 * object, so no compiler drops it as unused.
 *
 * @example
 * const text = flatText(JSON.stringify(record));
 */
const flatText = (text: string): string => {
  if (text.charCodeAt(0) !== 0x7b)
    throw new Error(`eddy: a stream record's JSON is not an object: ${text.slice(0, 40)}`);
  return text;
};

export { flatText };
