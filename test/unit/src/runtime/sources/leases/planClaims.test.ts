import { describe, expect, it } from 'vitest';
import type { LeaseItem } from '../../../../../../src/leaseTable/leaseItem.js';
import { type ClaimInput, planClaims } from '../../../../../../src/runtime/sources/leases/planClaims.js';

const NOW = 1_000_000;
const free = (shardId: string, extra: Partial<LeaseItem> = {}): LeaseItem => ({
  shardId,
  shardEnded: false,
  ...extra,
});
const heldBy = (owner: string, shardId: string, extra: Partial<LeaseItem> = {}): LeaseItem =>
  free(shardId, { owner, token: `${owner}-${shardId}`, counter: 1, expiresAt: NOW + 5_000, ...extra });
const plan = (leases: LeaseItem[], input: Partial<ClaimInput> = {}) =>
  planClaims({
    workerId: 'me',
    now: NOW,
    leases,
    liveWorkers: new Set(['me']),
    heldTokens: new Map(leases.filter((l) => l.owner === 'me').map((l) => [l.shardId, l.token as string])),
    ...input,
  });
const ids = (leases: readonly LeaseItem[]) => leases.map((l) => l.shardId).sort();

describe(planClaims.name, () => {
  it('takes every free lease when alone', () => {
    const result = plan([free('a'), free('b'), free('c')]);
    expect(result.target).toBe(3);
    expect(ids(result.take)).toEqual(['a', 'b', 'c']);
    expect(result.handoff).toBeUndefined();
  });

  it('takes no more than ceil(shards / live workers), counting registered workers that hold nothing', () => {
    const leases = ['a', 'b', 'c', 'd', 'e'].map((id) => free(id));
    const result = plan(leases, { liveWorkers: new Set(['me', 'w2', 'w3']) });
    expect(result.target).toBe(2);
    expect(result.take).toHaveLength(2);
  });

  it('counts the owners of unexpired leases as live even when missing from the registry', () => {
    const result = plan([heldBy('w2', 'a'), free('b'), free('c'), free('d')]);
    expect(result.target).toBe(2);
    expect(result.take).toHaveLength(2);
  });

  it('keeps what it holds and tops up to its share', () => {
    const result = plan([heldBy('me', 'a'), free('b'), free('c'), heldBy('w2', 'd')]);
    expect(result.mine).toEqual(['a']);
    expect(ids(result.take)).toHaveLength(1);
  });

  it('takes expired leases, but not unexpired ones', () => {
    const result = plan([heldBy('w2', 'a', { expiresAt: NOW }), heldBy('w3', 'b')], {
      liveWorkers: new Set(['me']),
    });
    expect(ids(result.take)).toEqual(['a']);
  });

  it('does not count or take ended shards', () => {
    const result = plan([free('a', { shardEnded: true }), free('b')]);
    expect(result.target).toBe(1);
    expect(ids(result.take)).toEqual(['b']);
  });

  it('does not take a lease held under a token it does not know, until it expires', () => {
    const stale = heldBy('me', 'a');
    expect(plan([stale], { heldTokens: new Map() }).take).toEqual([]);
    expect(ids(plan([{ ...stale, expiresAt: NOW - 1 }], { heldTokens: new Map() }).take)).toEqual(['a']);
  });

  it('prefers shards in an order that differs between workers, so racing workers spread out', () => {
    const leases = Array.from({ length: 20 }, (_, i) => free(`s${i}`));
    const live = new Set(['w1', 'w2', 'w3', 'w4']);
    const picks = ['w1', 'w2', 'w3', 'w4'].map((workerId) =>
      planClaims({ workerId, now: NOW, leases, liveWorkers: live, heldTokens: new Map() }).take.map(
        (l) => l.shardId,
      ),
    );
    expect(new Set(picks.map((p) => p.join())).size).toBe(4);
    expect(plan(leases, { liveWorkers: live }).take).toEqual(plan(leases, { liveWorkers: live }).take);
  });

  describe('handoffs', () => {
    it('asks the most loaded worker for one lease when no free lease is left', () => {
      const leases = [...['a', 'b', 'c', 'd'].map((id) => heldBy('w2', id)), heldBy('w3', 'e')];
      const result = plan(leases);
      expect(result.target).toBe(2);
      expect(result.take).toEqual([]);
      expect(result.handoff?.owner).toBe('w2');
    });

    it('asks a worker at its share when it holds two more (4 shards, 3 workers: 2/2/0 becomes 2/1/1)', () => {
      const leases = [heldBy('w2', 'a'), heldBy('w2', 'b'), heldBy('w3', 'c'), heldBy('w3', 'd')];
      expect(plan(leases).handoff).toBeDefined();
      const settled = [heldBy('w2', 'a'), heldBy('me', 'b'), heldBy('w3', 'c'), heldBy('w3', 'd')];
      expect(plan(settled).handoff).toBeUndefined();
    });

    it('asks for nothing when at its share, or while an earlier request is pending', () => {
      expect(plan([heldBy('me', 'a'), heldBy('w2', 'b')]).handoff).toBeUndefined();
      const pending = [heldBy('w2', 'a', { handoffTo: 'me' }), heldBy('w2', 'b'), heldBy('w2', 'c')];
      expect(plan(pending).handoff).toBeUndefined();
    });

    it('does not ask for a lease another worker asked for already', () => {
      const leases = [
        heldBy('w2', 'a', { handoffTo: 'w3' }),
        heldBy('w2', 'b'),
        heldBy('w2', 'c'),
        heldBy('w3', 'd'),
      ];
      const { handoff } = plan(leases, { liveWorkers: new Set(['me', 'w2', 'w3']) });
      expect(handoff?.owner).toBe('w2');
      expect(handoff?.shardId).not.toBe('a');
    });

    it('leaves a lease released for its asker to the asker until the reservation expires', () => {
      const reserved = free('a', { handoffTo: 'w2', expiresAt: NOW + 1, counter: 3 });
      const live = new Set(['me', 'w2']);
      expect(plan([reserved, free('b')], { liveWorkers: live }).take.map((l) => l.shardId)).toEqual(['b']);
      expect(
        planClaims({
          workerId: 'w2',
          now: NOW,
          leases: [free('b'), reserved],
          liveWorkers: live,
          heldTokens: new Map(),
        }).take[0]?.shardId,
      ).toBe('a');
      expect(ids(plan([{ ...reserved, expiresAt: NOW }], { liveWorkers: live }).take)).toEqual(['a']);
    });
  });
});
