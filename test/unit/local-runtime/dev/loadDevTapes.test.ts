import { describe, expect, it } from 'vitest';
import { loadedMappingWarnings } from '../../../../local-runtime/dev/loadDevTapes.js';
import { resolveMappingConfig } from '../../../../src/runtime/config/resolveMappingConfig.js';

const loaded = new Map([
  [
    'arn:stream',
    {
      path: 'incident.tape',
      region: 'us-east-1',
      tableName: 'orders',
      streamArn: 'arn:stream',
      tableCreated: true,
      shards: 1,
      records: 3,
      items: 2,
      removed: 0,
      oldestRecordAt: Date.UTC(2026, 0, 1) / 1000,
      warnings: [],
    },
  ],
]);
const now = Date.UTC(2026, 0, 2);

describe('loadedMappingWarnings (eddy dev --load)', () => {
  it('warns a mapping at LATEST on a loaded table, and one whose MaximumRecordAgeInSeconds the tape is older than', () => {
    const config = resolveMappingConfig({ StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 3600 });
    expect(
      loadedMappingWarnings(loaded, { mappingId: 'Fn-Orders', streamArn: 'arn:stream', config }, now),
    ).toEqual([
      'eddy dev: warning: Fn-Orders reads table orders from LATEST: it will not see the 3 records loaded from incident.tape (set StartingPosition: TRIM_HORIZON to process them)',
      'eddy dev: warning: Fn-Orders has MaximumRecordAgeInSeconds 3600: records of incident.tape older than that (they keep their recorded times) are discarded, not processed',
    ]);
  });

  it('says nothing for TRIM_HORIZON without a record age limit, or for another stream', () => {
    const config = resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON' });
    expect(
      loadedMappingWarnings(loaded, { mappingId: 'Fn-Orders', streamArn: 'arn:stream', config }, now),
    ).toEqual([]);
    const latest = resolveMappingConfig({ StartingPosition: 'LATEST' });
    expect(
      loadedMappingWarnings(loaded, { mappingId: 'Fn-Other', streamArn: 'arn:other', config: latest }, now),
    ).toEqual([]);
  });
});
