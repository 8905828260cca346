import type { Table } from './dynamodb/Table.js';
import type { Stream } from './streams/Stream.js';

/**
 * Everything one account holds in one region. Regions are separate namespaces, taken from each request's
 * SigV4 credential scope, so two regions can run side by side (cross-region replication).
 */
class Region {
  readonly name: string;
  readonly accountId: string;
  readonly tables = new Map<string, Table>();
  /** Every stream by ARN, including disabled ones and those of deleted tables: they stay readable. */
  readonly streams = new Map<string, Stream>();
  /** Each table's newest stream (DescribeTable's LatestStreamArn), enabled or not. */
  readonly latestStreams = new Map<string, Stream>();

  constructor(name: string, accountId: string) {
    this.name = name;
    this.accountId = accountId;
  }
}

export { Region };
