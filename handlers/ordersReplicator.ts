import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { replicate } from '../src/dynamodb/index.js';
import { defineStreamHandler } from '../src/index.js';
import { bookkeepingTtl } from './bookkeepingTtl.js';

const environment = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`ordersReplicator: the environment variable ${name} is not set (template.yaml sets it)`);
  }
  return value;
};

/** This function's region: it reads this region's stream and forwards the writes made here. */
const region = environment('AWS_REGION');
/** The region of the other copy of the stack (template.yaml: the PeerRegion parameter). */
const peerRegion = environment('PEER_REGION');
const tableName = process.env.ORDERS_TABLE ?? 'orders';

/**
 * Keeps the orders table identical in this region and the peer region, both taking writes (active-active):
 * the same stack deployed in each region, each with the other as PeerRegion, runs one replicator per region.
 * Last writer wins by the replication stamp, so every application write must be stamped with
 * `stampForReplication` (an unstamped write fails here and, after the retries, goes to the on-failure queue).
 * Deletes become tombstones, replicated like any write (readers treat them as absent: `isTombstone`).
 *
 * The template's FilterCriteria spare this function the writes that the peer's replicator made here (their
 * `eddy_origin` is the peer region): `replicate` skips them anyway. Deletes and unstamped writes have no
 * `eddy_origin` in their new image and come through.
 */
export const handler = defineStreamHandler(
  replicate({
    tableName,
    region,
    // Without an explicit region the SDK takes AWS_REGION: the local table.
    client: new DynamoDBClient({}),
    replicas: [{ region: peerRegion, client: new DynamoDBClient({ region: peerRegion }) }],
    tombstoneTtl: bookkeepingTtl(),
  }),
);
