import { type TapeTarget, TapeWriter } from './TapeWriter.js';
import type { Tape } from './tapeFormat.js';

/**
 * Writes a tape held in memory (from `tapeFromLambdaEvent`, `loadTape` or the test kit's `tapeOf`): the header,
 * each shard's line before its first record, the records, and an end line (`complete` unless the tape says
 * otherwise). A path ending in `.gz` is gzipped.
 *
 * @example
 * import { tapeFromLambdaEvent, writeTape } from 'eddy/runtime';
 *
 * await writeTape({ path: 'update.tape.ndjson' }, tapeFromLambdaEvent(event));
 */
const writeTape = async (target: TapeTarget, tape: Tape): Promise<void> => {
  const { type: _type, format: _format, version: _version, ...header } = tape.header;
  const writer = await TapeWriter.open(target, header);
  const pending = new Map(tape.shards.map((shard) => [shard.shardId, shard]));
  const writeShard = async (shardId: string) => {
    const shard = pending.get(shardId);
    if (shard === undefined) return;
    pending.delete(shardId);
    const { type: _shard, ...fields } = shard;
    await writer.shard(fields);
  };
  for (const { shardId, record } of tape.records) {
    await writeShard(shardId);
    if (!writer.hasShard(shardId)) await writer.shard({ shardId, sequenceNumberRange: {} });
    await writer.record(shardId, record);
  }
  for (const shardId of [...pending.keys()]) await writeShard(shardId);
  await writer.close(
    tape.end?.reason ?? 'complete',
    tape.end === undefined ? new Date() : new Date(tape.end.endedAt),
  );
};

export { writeTape };
