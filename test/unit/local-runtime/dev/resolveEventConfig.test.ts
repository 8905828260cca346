import { describe, expect, it } from 'vitest';
import { resolveEventConfig } from '../../../../local-runtime/dev/resolveEventConfig.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

const LOCATION = 'Resources.Fn.Properties.Events.Stream.Properties';

describe('resolveEventConfig', () => {
  it("fills in Lambda's defaults", () => {
    const config = resolveEventConfig('template.yaml', LOCATION, { StartingPosition: 'LATEST' });
    expect(config.BatchSize).toBe(100);
    expect(config.StartingPosition).toBe('LATEST');
  });

  it("makes a setting out of range a template error at the setting's location", () => {
    const resolve = () =>
      resolveEventConfig('template.yaml', LOCATION, { StartingPosition: 'LATEST', BatchSize: 0 });
    expect(resolve).toThrow(TemplateError);
    try {
      resolve();
    } catch (error) {
      expect((error as TemplateError).location).toBe(`${LOCATION}.BatchSize`);
    }
  });
});
