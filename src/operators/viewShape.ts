import { createHash } from 'node:crypto';

/**
 * The attribute of a view row written by `project`'s `writes: 'statements'` (the default) that stands for the
 * row's attribute names (a hash of them). A PartiQL UPDATE sets attributes but cannot drop the ones the new row
 * lacks, so an UPDATE only replaces a row when its condition finds the same shape; any other row is replaced by
 * PutItem. Bookkeeping, as `eddy_source_sequence` is: leave it out when reading a row.
 *
 * @example
 * const { [SOURCE_SEQUENCE_ATTRIBUTE]: _seq, [VIEW_SHAPE_ATTRIBUTE]: _shape, ...view } = unmarshall(row);
 */
const VIEW_SHAPE_ATTRIBUTE = 'eddy_view_shape';

/**
 * Shapes already hashed, by the names as a row lists them: a view has a handful of shapes, each listed in one or
 * two orders, so this stays small; it is cleared if it grows.
 */
const hashed = new Map<string, string>();
const MAX_HASHED = 1_000;

/**
 * The shape of a row with these top-level attribute names (the shape attribute itself left out): 16
 * characters of the SHA-1 of the sorted names, 96 bits, so two shapes never meet in practice.
 * @internal
 */
const viewShape = (names: readonly string[]): string => {
  // A row's names come in the order its view function wrote them: looked up so first, sorted only when new.
  const listed = names.join('\u0000');
  let shape = hashed.get(listed);
  if (shape === undefined) {
    const key = names
      .filter((name) => name !== VIEW_SHAPE_ATTRIBUTE)
      .sort()
      .join('\u0000');
    shape = createHash('sha1').update(key).digest('base64url').slice(0, 16);
    if (hashed.size >= MAX_HASHED) hashed.clear();
    hashed.set(listed, shape);
  }
  return shape;
};

export { VIEW_SHAPE_ATTRIBUTE, viewShape };
