/**
 * An order as the orders table holds it (key `orderId`). In a replicated deployment (template.yaml with a
 * PeerRegion) every write also carries the replication stamp (`stampForReplication`: `eddy_origin`,
 * `eddy_version`, `eddy_write_id`), and a deleted order is a tombstone (`eddy_deleted: true`, see
 * `isTombstone`) until the table's TTL collects it.
 */
// A type alias rather than an interface: it is then a record of attributes, as `isTombstone` takes one.
type Order = {
  orderId: string;
  customerId?: string;
  status?: string;
  /** The order's amount in the currency's units, e.g. 42.5. */
  total?: number;
  lines?: unknown[];
};

export type { Order };
