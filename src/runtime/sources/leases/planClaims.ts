import type { LeaseItem } from '../../../leaseTable/leaseItem.js';

interface ClaimInput {
  readonly workerId: string;
  /** Epoch ms, this worker's clock. */
  readonly now: number;
  /** The lease items of the shards that are ready to be consumed, as just read from the table. */
  readonly leases: readonly LeaseItem[];
  /** Workers whose registry entry has not expired, this one included. */
  readonly liveWorkers: ReadonlySet<string>;
  /** The token of each lease this worker holds (shard id → token). */
  readonly heldTokens: ReadonlyMap<string, string>;
}

interface ClaimPlan {
  /** This worker's fair share: ceil(shards / live workers). */
  readonly target: number;
  /** Shards whose lease this worker holds already. */
  readonly mine: readonly string[];
  /** Free or expired leases to take, at most up to the fair share. */
  readonly take: readonly LeaseItem[];
  /** A lease of the most loaded worker to ask for, when free leases cannot bring this worker to its share. */
  readonly handoff?: LeaseItem;
}

/**
 * A stable order that differs per worker (FNV-1a of worker and shard id), so workers that claim at the same time
 * try different shards first instead of all racing for the same one.
 */
const preference = (workerId: string, shardId: string): number => {
  let hash = 0x811c9dc5;
  for (const ch of `${workerId}\u0000${shardId}`) {
    hash ^= ch.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

/**
 * Decides, without I/O, which leases a worker should take now. The rules are KCL's:
 * - the fair share is ceil(shards / live workers); a worker takes free and expired leases up to it, never more;
 * - a worker still below its share asks the most loaded worker for one lease (one per round, so the shards
 *   settle instead of bouncing) when that worker is above the share or holds two more than this one; the
 *   holder releases it reserved for the asker, and no one else takes it until the reservation expires.
 * Live workers are those in the registry and those holding an unexpired lease. Ended shards are not counted.
 *
 * @example
 * const plan = planClaims({ workerId: 'w1', now, leases, liveWorkers: new Set(['w1', 'w2']), heldTokens });
 * for (const lease of plan.take) await table.take(lease);
 */
const planClaims = (input: ClaimInput): ClaimPlan => {
  const { workerId, now, heldTokens } = input;
  const byPreference = (a: LeaseItem, b: LeaseItem) =>
    preference(workerId, a.shardId) - preference(workerId, b.shardId);
  // Leases released for this worker first: it asked for them.
  const reservedFirst = (a: LeaseItem, b: LeaseItem) =>
    Number(b.handoffTo === workerId) - Number(a.handoffTo === workerId) || byPreference(a, b);
  const open = input.leases.filter((lease) => !lease.shardEnded);
  const live = new Set(input.liveWorkers).add(workerId);
  const mine: string[] = [];
  const candidates: LeaseItem[] = [];
  const othersLeases = new Map<string, LeaseItem[]>();
  for (const lease of open) {
    const expired = (lease.expiresAt ?? 0) <= now;
    if (
      lease.owner === undefined &&
      lease.handoffTo !== undefined &&
      lease.handoffTo !== workerId &&
      !expired
    ) {
      // Released for the worker that asked for it; anyone may take it once the reservation expires.
    } else if (lease.owner === undefined || expired) {
      if (lease.owner === workerId && lease.token === heldTokens.get(lease.shardId)) mine.push(lease.shardId);
      else candidates.push(lease);
    } else if (lease.owner === workerId) {
      // Held under an unknown token (this worker id restarted): it becomes free when it expires.
      if (lease.token === heldTokens.get(lease.shardId)) mine.push(lease.shardId);
    } else {
      live.add(lease.owner);
      othersLeases.set(lease.owner, [...(othersLeases.get(lease.owner) ?? []), lease]);
    }
  }
  const target = Math.ceil(open.length / live.size);
  const take = candidates.sort(reservedFirst).slice(0, Math.max(0, target - mine.length));
  const after = mine.length + take.length;
  if (after >= target || open.some((lease) => lease.handoffTo === workerId)) return { target, mine, take };
  const [victimLeases] = [...othersLeases.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))
    .map(([, leases]) => leases);
  if (victimLeases === undefined) return { target, mine, take };
  const count = victimLeases.length;
  if (count <= target && count - after < 2) return { target, mine, take };
  const handoff = victimLeases.filter((lease) => lease.handoffTo === undefined).sort(byPreference)[0];
  return handoff === undefined ? { target, mine, take } : { target, mine, take, handoff };
};

export type { ClaimInput, ClaimPlan };
export { planClaims };
