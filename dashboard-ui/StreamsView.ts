import { html } from 'htm/preact';
import { control, type RegionView, type ShardView, type StreamView } from './api.js';
import { age, short, time } from './format.js';

interface Node {
  shard: ShardView;
  children: Node[];
}

/** Shards as a tree by ParentShardId: a shard whose parent was trimmed away is a root. */
const tree = (shards: ShardView[]): Node[] => {
  const nodes = new Map(shards.map((shard) => [shard.shardId, { shard, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.shard.parentShardId === undefined ? undefined : nodes.get(node.shard.parentShardId);
    (parent?.children ?? roots).push(node);
  }
  return roots;
};

const act = (action: string, args: Record<string, unknown>) => {
  control(action, args).catch((e: Error) => alert(`${action}: ${e.message}`));
};

const iterator = (shard: ShardView, now: number) => {
  // A closed shard is read to its end once: its iterator matters no more.
  if (!shard.open && !shard.iteratorExpiring) return null;
  if (shard.iteratorExpiresAt === undefined) return html`<span class="muted">no iterator yet</span>`;
  if (shard.iteratorExpired) return html`<span class="warn" data-iterator="expired">iterator expired</span>`;
  const left = shard.iteratorExpiresAt - now;
  return html`<span class=${shard.iteratorExpiring ? 'warn' : 'muted'} data-iterator=${shard.iteratorExpiring ? 'expiring' : 'fresh'}
    >iterator expires in ${age(left)}</span
  >`;
};

const ShardNode = ({ node, stream, now }: { node: Node; stream: StreamView; now: number }) => {
  const { shard } = node;
  return html`<li data-shard=${shard.shardId} data-open=${String(shard.open)}>
    <div class="shard">
      <code title=${shard.shardId}>${short(shard.shardId, 14)}</code>
      <span class=${shard.open ? 'ok badge' : 'muted badge'}>${shard.open ? 'open' : 'closed'}</span>
      <span data-records>${shard.records} record${shard.records === 1 ? '' : 's'}</span>
      <span class="muted" title=${`trim horizon: reading TRIM_HORIZON starts after ${shard.trimHorizon}`}
        >trim horizon ${short(shard.trimHorizon, 6)}</span
      >
      <span class="muted">since ${time(shard.createdAt)}${shard.closedAt === undefined ? '' : `, closed ${time(shard.closedAt)}`}</span>
      ${iterator(shard, now)}
      ${
        shard.open && stream.status === 'ENABLED'
          ? html`<button class="small" onClick=${() => act('rollOver', { streamArn: stream.streamArn, shardId: shard.shardId })}>roll over</button>
            <button class="small" onClick=${() => act('split', { streamArn: stream.streamArn, shardId: shard.shardId })}>split</button>`
          : null
      }
    </div>
    ${
      node.children.length === 0
        ? null
        : html`<ul>${node.children.map((child) => html`<${ShardNode} node=${child} stream=${stream} now=${now} />`)}</ul>`
    }
  </li>`;
};

/** Every stream's shard tree: lineage, open and closed shards, records, trim horizon, iterators near expiry. */
export const StreamsView = ({ regions, now }: { regions: RegionView[]; now: number }) => {
  const streams = regions.flatMap((region) => region.streams.map((stream) => ({ region, stream })));
  return html`<section>
    ${streams.length === 0 ? html`<p class="muted">No streams yet.</p>` : null}
    ${streams.map(({ region, stream }) => {
      const open = stream.shards.filter((s) => s.open).length;
      const records = stream.shards.reduce((sum, s) => sum + s.records, 0);
      return html`<div class="card" data-stream=${stream.tableName}>
        <h3>
          ${stream.tableName} <span class="muted">${region.region}</span>
          <span class=${stream.status === 'ENABLED' ? 'ok badge' : 'muted badge'}>${stream.status}</span>
        </h3>
        <p class="muted"><code>${stream.streamArn}</code> · ${stream.viewType}</p>
        <p data-summary>
          <span data-shard-count>${stream.shards.length}</span> shards (${open} open), ${records} records kept
        </p>
        <ul class="tree">${tree(stream.shards).map((node) => html`<${ShardNode} node=${node} stream=${stream} now=${now} />`)}</ul>
      </div>`;
    })}
  </section>`;
};
