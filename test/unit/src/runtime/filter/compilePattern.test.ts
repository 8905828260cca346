import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../../../src/runtime/filter/compilePattern.js';
import { InvalidPatternError } from '../../../../../src/runtime/filter/InvalidPatternError.js';

describe(compilePattern.name, () => {
  it('lists the leaf paths it tests and their dot-prefixes', () => {
    const { paths, prefixes } = compilePattern(
      '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"k":{"S":["v"]}}},"$or":[{"a.b":[1]},{"c":[2]}]}',
    );
    expect([...paths].sort()).toEqual(['a.b', 'c', 'dynamodb.NewImage.k.S', 'eventName']);
    expect([...prefixes].sort()).toEqual([
      'a',
      'a.b',
      'c',
      'dynamodb',
      'dynamodb.NewImage',
      'dynamodb.NewImage.k',
      'dynamodb.NewImage.k.S',
      'eventName',
    ]);
  });

  it('joins nested keys with dots and folds them into one AND', () => {
    const { tree } = compilePattern('{"dynamodb":{"Keys":{"pk":{"S":["a"]}},"NewImage":{"n":{"N":["1"]}}}}');
    expect(tree.fields.map((f) => f.path)).toEqual(['dynamodb.Keys.pk.S', 'dynamodb.NewImage.n.N']);
    expect(tree.anyOf).toEqual([]);
  });

  it('keeps the last of two spellings of one path at one level (EventBridge overrides)', () => {
    const { tree } = compilePattern('{"a.b":["first"],"a":{"b":["second"]}}');
    expect(tree.fields).toHaveLength(1);
    expect(tree.fields[0]?.tests[0]?.('second')).toBe(true);
  });

  it('makes one $or group per $or key, with branches under the same path', () => {
    const { tree } = compilePattern('{"d":{"$or":[{"x":[1]},{"y":[2],"$or":[{"z":[3]},{"w":[4]}]}]}}');
    expect(tree.fields).toEqual([]);
    expect(tree.anyOf).toHaveLength(1);
    const [x, yz] = tree.anyOf[0] ?? [];
    expect(x?.fields.map((f) => f.path)).toEqual(['d.x']);
    expect(yz?.fields.map((f) => f.path)).toEqual(['d.y']);
    expect(yz?.anyOf[0]?.map((b) => b.fields[0]?.path)).toEqual(['d.z', 'd.w']);
  });

  it('records exists operators as presence and absence, not as value tests', () => {
    const { tree } = compilePattern('{"k":[{"exists":false},"v"],"j":[{"exists":true}]}');
    expect(
      tree.fields.map(({ path, tests, ifPresent, ifAbsent }) => [path, tests.length, ifPresent, ifAbsent]),
    ).toEqual([
      ['k', 1, false, true],
      ['j', 0, true, false],
    ]);
  });

  it.each([
    // Recorded against AWS (test_dynamodb_invalid_event_filter)
    ['single-string', 'not valid JSON'],
    ['[{"eventName": ["INSERT"=123}]', 'not valid JSON'],
    // Not an object
    ['["eventName"]', 'Filter is not an object'],
    ['"eventName"', 'Filter is not an object'],
    ['null', 'Filter is not an object'],
    ['42', 'Filter is not an object'],
    // Structure
    ['{"eventName":"INSERT"}', '"eventName" must be an object or an array'],
    ['{"dynamodb":{"SizeBytes":42}}', '"dynamodb.SizeBytes" must be an object or an array'],
    ['{"eventName":null}', '"eventName" must be an object or an array'],
    ['{"eventName":[]}', '"eventName": Empty arrays are not allowed'],
    ['{"eventName":[["INSERT"]]}', '"eventName": Match value must be String, number, true, false, or null'],
    ['{"eventName":[{}]}', '"eventName": Match expression name not found'],
    [
      '{"eventName":[{"prefix":"I","suffix":"T"}]}',
      'Only one key allowed in match expression; got prefix, suffix',
    ],
    ['{"eventName":[{"regex":"I.*"}]}', '"eventName": Unrecognized match type regex'],
    ['{"eventName":[{"EXISTS":true}]}', 'Unrecognized match type EXISTS'],
    ['{"eventName":[{"NUMERIC":["=",5]}]}', 'Unrecognized match type NUMERIC'],
    ['{"eventName":[{"constructor":"x"}]}', 'Unrecognized match type constructor'],
    // Operand types
    ['{"k":[{"prefix":1}]}', '"k": prefix match pattern must be a string'],
    ['{"k":[{"prefix":["a"]}]}', 'prefix match pattern must be a string'],
    ['{"k":[{"suffix":123}]}', 'suffix match pattern must be a string'],
    ['{"k":[{"equals-ignore-case":["a"]}]}', 'equals-ignore-case match pattern must be a string'],
    ['{"k":[{"equals-ignore-case":{"prefix":"ec2"}}]}', 'equals-ignore-case match pattern must be a string'],
    ['{"k":[{"exists":"true"}]}', 'exists match pattern must be either true or false.'],
    ['{"k":[{"numeric":5}]}', 'Value of numeric must be an array.'],
    ['{"k":[{"numeric":[">",0,">",0]}]}', 'Bad numeric range operator: >'],
    [
      '{"k":[{"anything-but":null}]}',
      'Value of anything-but must be an array or single string/number value.',
    ],
    ['{"k":[{"wildcard":123}]}', 'wildcard match pattern must be a string'],
    ['{"k":[{"cidr":["10.0.0.0/8"]}]}', 'cidr match pattern must be a string'],
    ['{"k":[{"cidr":"10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
    // Objects
    ['{}', 'the pattern: Empty objects are not allowed'],
    ['{"dynamodb":{}}', '"dynamodb": Empty objects are not allowed'],
    // $or
    ['{"$or":[{"a":[1]}]}', '$or: There must have at least 2 Objects in $or relationship.'],
    ['{"$or":[]}', 'There must have at least 2 Objects in $or relationship.'],
    ['{"$or":{"a":[1]}}', '$or: It must be an Array followed with $or.'],
    ['{"d":{"$or":[{"a":[1]},"b"]}}', '"d.$or": Only JSON object is allowed in array of $or relationship.'],
    ['{"$or":[{"a":[1]},{}]}', 'Empty objects are not allowed'],
  ])('refuses %s: %s', (pattern, reason) => {
    expect(() => compilePattern(pattern)).toThrow(InvalidPatternError);
    expect(() => compilePattern(pattern)).toThrow(reason);
  });

  it.each(['{"$or":[{"numeric":[1]},{"b":[2]}]}', '{"$or":[{"a":[1]},{"d":{"prefix":{"S":["x"]}}}]}'])(
    'refuses an operator name as a field inside $or (UNCONFIRMED on Lambda: EventBridge reserves them): %s',
    (pattern) => {
      expect(() => compilePattern(pattern)).toThrow(
        'is a reserved field name which cannot be used inside $or',
      );
    },
  );

  it('accepts an operator name as a field outside $or', () => {
    expect(() =>
      compilePattern('{"dynamodb":{"NewImage":{"prefix":{"S":[{"prefix":"us-1"}]}}}}'),
    ).not.toThrow();
  });

  it('accepts a list mixing literals and operators', () => {
    expect(() =>
      compilePattern('{"k":["a",1,true,false,null,"",{"prefix":"p"},{"exists":false},{"numeric":["<",0]}]}'),
    ).not.toThrow();
  });
});
