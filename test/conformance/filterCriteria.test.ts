import { isDeepStrictEqual } from 'node:util';
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  compileFilterCriteria,
  FilterCriteriaError,
} from '../../src/runtime/filter/compileFilterCriteria.js';
import { lambdaRecord } from '../helpers/factories.js';
import { readOracle } from '../helpers/oracles.js';

/**
 * FilterCriteria against what real AWS delivered. The recording (LocalStack's
 * test_lambda_integration_dynamodbstreams, `@markers.aws.validated`) holds each mapping's pattern and the events
 * the function received; the writes behind them are the parameters of that test's `test_dynamodb_event_filter`
 * (tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_dynamodbstreams.py): a table keyed on
 * `id`, NEW_AND_OLD_IMAGES, `put_item(item_to_put1)` then `put_item(item_to_put2)`. We rebuild the records AWS
 * wrote for those puts and check that the matcher keeps exactly the recorded ones.
 */
const RECORDING = readOracle('test_lambda_integration_dynamodbstreams.snapshot.json');
const TEST = 'tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_dynamodbstreams.py';
const FILTER_SCENARIO = `${TEST}::TestDynamoDBEventSourceMapping::test_dynamodb_event_filter[`;
const INVALID_SCENARIO = `${TEST}::TestDynamoDBEventSourceMapping::test_dynamodb_invalid_event_filter[`;

type Item = Record<string, Record<string, string>>;

interface Scenario {
  readonly writes: readonly [Item, Item];
  readonly pattern: unknown;
}

/** item_to_put1, item_to_put2 and filter of each pytest.param, as written in the LocalStack test. */
const SCENARIOS: Record<string, Scenario> = {
  insert_same_entry_twice: {
    writes: [
      { id: { S: 'id_value' }, id2: { S: 'id2_value' } },
      { id: { S: 'id_value' }, id2: { S: 'id2_value' } },
    ],
    pattern: { eventName: ['INSERT'] },
  },
  content_or_filter: {
    writes: [{ id: { S: 'id_value' } }, { id: { S: 'id_value' }, id2: { S: 'id2_new_value' } }],
    pattern: { eventName: ['INSERT', 'MODIFY'] },
  },
  content_multiple_filters: {
    writes: [{ id: { S: 'id_value' } }, { id: { S: 'id_value' }, id2: { S: 'id2_new_value' } }],
    pattern: { eventName: ['INSERT'], eventSource: ['aws:dynamodb'] },
  },
  content_filter_type: {
    writes: [{ id: { S: 'id_value_1' }, presentKey: { S: 'presentValue' } }, { id: { S: 'id_value_2' } }],
    pattern: { dynamodb: { NewImage: { presentKey: { S: ['presentValue'] } } } },
  },
  exists_filter_type: {
    writes: [{ id: { S: 'id_value_1' }, presentKey: { S: 'presentValue' } }, { id: { S: 'id_value_2' } }],
    pattern: { dynamodb: { NewImage: { presentKey: { S: [{ exists: true }] } } } },
  },
  exists_false_filter: {
    writes: [{ id: { S: 'id_value_1' } }, { id: { S: 'id_value_2' }, presentKey: { S: 'presentValue' } }],
    pattern: { dynamodb: { NewImage: { presentKey: [{ exists: false }] } } },
  },
  numeric_filter: {
    writes: [
      { id: { S: 'id_value_1' }, numericFilter: { N: '42' } },
      { id: { S: 'id_value_2' }, numericFilter: { N: '101' } },
    ],
    pattern: {
      dynamodb: { NewImage: { numericFilter: { N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] } } },
    },
  },
  prefix_filter: {
    writes: [
      { id: { S: 'id_value_1' }, prefix: { S: 'us-1-other-suffix' } },
      { id: { S: 'id_value_1' }, prefix: { S: 'other-suffix' } },
    ],
    pattern: { dynamodb: { NewImage: { prefix: { S: [{ prefix: 'us-1' }] } } } },
  },
  date_time_conversion: {
    writes: [{ id: { S: 'id_value_1' } }, { id: { S: 'id_value_2' } }],
    // The recording redacts this one ("<approximate-creation-datetime>"); the test file has it.
    pattern: { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } },
  },
};

const plain = (item: Item): Record<string, NativeAttributeValue> => unmarshall(item as never);

/**
 * The records DynamoDB writes for successive puts on a table keyed on `id`: INSERT for a new key, MODIFY with
 * both images for a changed item, nothing for a put that changes nothing
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
 */
const recordsFor = (writes: readonly Item[]): DynamoDBRecord[][] => {
  const table = new Map<string, Item>();
  return writes.map((item) => {
    const id = item.id?.S ?? '';
    const old = table.get(id);
    table.set(id, item);
    if (old === undefined) return [lambdaRecord('INSERT', { id }, { newImage: plain(item) })];
    if (isDeepStrictEqual(old, item)) return [];
    return [lambdaRecord('MODIFY', { id }, { newImage: plain(item), oldImage: plain(old) })];
  });
};

/** The fields the recording keeps verbatim (ids, sequence numbers, times and ARNs are redacted there). */
const comparable = (record: unknown) => {
  const r = record as DynamoDBRecord;
  return {
    eventName: r.eventName,
    eventVersion: r.eventVersion,
    eventSource: r.eventSource,
    Keys: r.dynamodb?.Keys,
    NewImage: r.dynamodb?.NewImage,
    OldImage: r.dynamodb?.OldImage,
    SizeBytes: r.dynamodb?.SizeBytes,
    StreamViewType: r.dynamodb?.StreamViewType,
  };
};

interface RecordedScenario {
  'recorded-content': {
    create_event_source_mapping_response: { FilterCriteria: { Filters: { Pattern: unknown }[] } };
    'lambda-log-events': { Records: unknown[] }[];
    'lambda-multiple-log-events': { Records: unknown[] }[];
  };
}

const recordedFilterScenarios = Object.keys(RECORDING)
  .filter((key) => key.startsWith(FILTER_SCENARIO))
  .map((key) => [key.slice(FILTER_SCENARIO.length, -1), RECORDING[key] as RecordedScenario] as const);

describe('FilterCriteria on the records AWS delivered (recorded)', () => {
  it('has the inputs of every recorded filter scenario', () => {
    expect(recordedFilterScenarios.map(([name]) => name).sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it.each(recordedFilterScenarios)('%s keeps exactly what the function received', (name, recorded) => {
    const scenario = SCENARIOS[name] as Scenario;
    const content = recorded['recorded-content'];
    const recordedPattern = content.create_event_source_mapping_response.FilterCriteria.Filters[0]?.Pattern;
    if (name !== 'date_time_conversion') expect(recordedPattern).toEqual(scenario.pattern);

    const keep = compileFilterCriteria({ Filters: [{ Pattern: JSON.stringify(scenario.pattern) }] });
    const [afterFirst = [], afterSecond = []] = recordsFor(scenario.writes);
    const received = (events: { Records: unknown[] }[]) => events.flatMap((e) => e.Records).map(comparable);

    expect(afterFirst.filter(keep).map(comparable)).toEqual(received(content['lambda-log-events']));
    expect([...afterFirst, ...afterSecond].filter(keep).map(comparable)).toEqual(
      received(content['lambda-multiple-log-events']),
    );
  });

  it('drops what the function did not receive, for the reason the recording shows', () => {
    const dropped = Object.fromEntries(
      Object.entries(SCENARIOS).map(([name, scenario]) => {
        const keep = compileFilterCriteria({ Filters: [{ Pattern: JSON.stringify(scenario.pattern) }] });
        const all = recordsFor(scenario.writes).flat();
        return [name, all.filter((r) => !keep(r)).map((r) => `${r.eventName} ${r.dynamodb?.Keys?.id?.S}`)];
      }),
    );
    expect(dropped).toEqual({
      insert_same_entry_twice: [], // the second, identical put writes no record at all
      content_or_filter: [],
      content_multiple_filters: ['MODIFY id_value'],
      content_filter_type: ['INSERT id_value_2'], // no presentKey
      exists_filter_type: ['INSERT id_value_2'],
      exists_false_filter: [], // exists: false on an intermediate node matches although it is present
      numeric_filter: ['INSERT id_value_2'], // "101": numeric never matches an N string, anything-but excludes it
      prefix_filter: ['MODIFY id_value_1'], // new image "other-suffix"
      date_time_conversion: [],
    });
  });
});

describe('FilterCriteria AWS refused (recorded)', () => {
  const invalid = Object.keys(RECORDING)
    .filter((key) => key.startsWith(INVALID_SCENARIO))
    .map((key) => {
      const content = (RECORDING[key] as { 'recorded-content': Record<string, unknown> })['recorded-content'];
      const error = content.exception_event_source_creation as { Error: { Code: string; Message: string } };
      return [key.slice(INVALID_SCENARIO.length, -1), error.Error] as const;
    });

  it('finds the recorded refusals', () => {
    expect(invalid.map(([pattern]) => pattern)).toEqual(['single-string', '[{"eventName": ["INSERT"=123}]']);
  });

  it.each(invalid)('refuses %s with Lambda’s message', (pattern, error) => {
    expect(error.Code).toBe('InvalidParameterValueException');
    expect(() => compileFilterCriteria({ Filters: [{ Pattern: pattern }] })).toThrow(FilterCriteriaError);
    expect(() => compileFilterCriteria({ Filters: [{ Pattern: pattern }] })).toThrow(error.Message);
  });
});
