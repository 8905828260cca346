import { describe, expect, it } from 'vitest';
import { readGlobals, withGlobals } from '../../../../local-runtime/template/readGlobals.js';
import { templateContext } from './templateContext.js';

// SAM's Globals: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
describe('readGlobals', () => {
  it('returns the Function and SimpleTable sections, and accepts sections eddy does not apply', () => {
    const globals = readGlobals(templateContext(), {
      Function: { Timeout: 9 },
      SimpleTable: { SSESpecification: { SSEEnabled: true } },
      Api: { Cors: '*' },
    });
    expect(globals).toEqual({
      Function: { Timeout: 9 },
      SimpleTable: { SSESpecification: { SSEEnabled: true } },
    });
  });

  it('refuses a section and a property SAM does not have, in its words', () => {
    expect(() => readGlobals(templateContext(), { Table: {} })).toThrow(
      "template.yaml: Globals.Table: 'Table' is not supported in Globals. Must be one of: Function, SimpleTable",
    );
    expect(() => readGlobals(templateContext(), { Function: { Events: {} } })).toThrow(
      "template.yaml: Globals.Function.Events: 'Events' is not a supported property of 'Function' in Globals.",
    );
  });
});

describe('withGlobals', () => {
  it("merges the globals under the resource's properties, minus IgnoreGlobals", () => {
    const globals = { Timeout: 3, Environment: { Variables: { A: '1', B: '1' } }, Layers: ['g'] };
    const resource = {
      Type: 'AWS::Serverless::Function',
      IgnoreGlobals: 'Layers',
      Properties: { Timeout: 9, Environment: { Variables: { B: '2' } } },
    };
    expect(withGlobals(templateContext(), 'Fn', resource, globals)).toEqual({
      Timeout: 9,
      Environment: { Variables: { A: '1', B: '2' } },
    });
    expect(withGlobals(templateContext(), 'Fn', { ...resource, IgnoreGlobals: '*' }, globals)).toEqual(
      resource.Properties,
    );
  });
});
