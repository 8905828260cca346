/**
 * The attribute that marks a tombstone: a row that stands for a deleted item. `project` leaves one where a view
 * row was deleted, `replicate` where a replicated item was deleted, so an older record that arrives late (a
 * duplicate, a redelivery, a replay, a concurrent write from another region) cannot bring the row back.
 *
 * @example
 * const live = rows.filter((row) => row[TOMBSTONE_ATTRIBUTE] !== true);
 */
const TOMBSTONE_ATTRIBUTE = 'eddy_deleted';

/**
 * Whether a row read from a view or replicated table is a tombstone, that is, an item that does not exist.
 * Takes the row as the low-level client returns it (`{ eddy_deleted: { BOOL: true } }`) or unmarshalled /
 * from the document client (`{ eddy_deleted: true }`); `undefined` (no row) is not a tombstone.
 *
 * Reading such a table: a GetItem that returns a tombstone means "not found"; a Query or Scan leaves them out
 * with `FilterExpression: 'attribute_not_exists(eddy_deleted)'`.
 *
 * @example
 * const { Item } = await client.send(new GetItemCommand({ TableName: 'order-view', Key: key }));
 * const order = Item === undefined || isTombstone(Item) ? undefined : unmarshall(Item);
 */
const isTombstone = (row: Readonly<Record<string, unknown>> | undefined): boolean => {
  const flag = row?.[TOMBSTONE_ATTRIBUTE];
  return (
    flag === true || (typeof flag === 'object' && flag !== null && (flag as { BOOL?: unknown }).BOOL === true)
  );
};

export { isTombstone, TOMBSTONE_ATTRIBUTE };
