import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '../../src/records/attributeValue.js';
import { itemSize } from '../../src/records/itemSize.js';
import { collect, readOracle } from '../helpers/oracles.js';

interface RecordedData {
  Keys: AttributeMap;
  NewImage?: AttributeMap;
  OldImage?: AttributeMap;
  SizeBytes: number;
}

const FILES = [
  'test_dynamodb.snapshot.json',
  'test_dynamodb_streams.snapshot.json',
  'test_lambda_integration_dynamodbstreams.snapshot.json',
];

describe('SizeBytes of records AWS wrote', () => {
  const recorded = FILES.flatMap((file) =>
    collect<RecordedData>(readOracle(file), (o) => 'SizeBytes' in o && 'Keys' in o).map((data) => ({
      file,
      data,
    })),
  );

  it('finds the recorded records', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(80);
  });

  it.each(recorded.map((r, i) => [i, r.file, r.data] as const))('record %i of %s', (_i, _file, data) => {
    const computed =
      itemSize(data.Keys) +
      (data.NewImage === undefined ? 0 : itemSize(data.NewImage)) +
      (data.OldImage === undefined ? 0 : itemSize(data.OldImage));
    expect(computed).toBe(data.SizeBytes);
  });
});
