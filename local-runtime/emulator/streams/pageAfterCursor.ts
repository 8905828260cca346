/** One page of a listing and the cursor to continue it with, when more follows. */
interface CursorPage<T> {
  readonly page: readonly T[];
  /** The id of the page's last entry, when entries follow it (DynamoDB's LastEvaluated… member). */
  readonly last?: string;
}

/**
 * A page of `entries` (in listing order) after the `cursor` id, at most `limit` long.
 *
 * A cursor that names an entry continues right after it. A cursor that names none (a stream or shard that was
 * never listed, or is gone) is not an error: the page starts at the first entry whose id sorts after it, so a
 * cursor "before" everything lists everything and one "after" everything lists nothing. AWS does not document
 * this case; it is what DynamoDB Local answers (ListStreams and DescribeStream), and the ids DynamoDB Streams
 * hands out sort in the order it lists them (ARNs by table name and creation time, shard ids by creation
 * time), so "where it would sort" is where it would have been.
 */
const pageAfterCursor = <T>(
  entries: readonly T[],
  idOf: (entry: T) => string,
  cursor: string | undefined,
  limit: number,
): CursorPage<T> => {
  let start = 0;
  if (cursor !== undefined) {
    const at = entries.findIndex((entry) => idOf(entry) === cursor);
    start = at >= 0 ? at + 1 : entries.findIndex((entry) => idOf(entry) > cursor);
    if (start < 0) start = entries.length;
  }
  const page = entries.slice(start, start + limit);
  const last = page.at(-1);
  return start + limit < entries.length && last !== undefined ? { page, last: idOf(last) } : { page };
};

export type { CursorPage };
export { pageAfterCursor };
