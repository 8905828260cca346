import { describe, expect, it } from 'vitest';
import { regionParameterOverrides } from '../../../../local-runtime/dev/regionParameterOverrides.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

const TWO = ['us-east-1', 'eu-west-1'];
const overridesOf = (input: Partial<Parameters<typeof regionParameterOverrides>[0]>) =>
  Object.fromEntries(
    regionParameterOverrides({
      templatePath: 'template.yaml',
      parameters: {},
      regions: TWO,
      overrides: {},
      ...input,
    }),
  );

describe('regionParameterOverrides', () => {
  it("sets a declared PeerRegion to the other region of two, beside the user's overrides", () => {
    expect(
      overridesOf({ parameters: { PeerRegion: { Type: 'String' } }, overrides: { Stage: 'dev' } }),
    ).toEqual({
      'us-east-1': { Stage: 'dev', PeerRegion: 'eu-west-1' },
      'eu-west-1': { Stage: 'dev', PeerRegion: 'us-east-1' },
    });
  });

  it('sets no PeerRegion when the template declares none: it would be an unknown parameter', () => {
    expect(overridesOf({ parameters: { Stage: {} }, overrides: { Stage: 'dev' } })).toEqual({
      'us-east-1': { Stage: 'dev' },
      'eu-west-1': { Stage: 'dev' },
    });
  });

  it("gives one region the user's overrides alone", () => {
    expect(overridesOf({ parameters: { PeerRegion: {} }, regions: ['us-east-1'] })).toEqual({
      'us-east-1': {},
    });
  });

  it('lets a PeerRegion the user sets win in every region', () => {
    expect(overridesOf({ parameters: { PeerRegion: {} }, overrides: { PeerRegion: 'ap-south-1' } })).toEqual({
      'us-east-1': { PeerRegion: 'ap-south-1' },
      'eu-west-1': { PeerRegion: 'ap-south-1' },
    });
  });

  it('refuses three regions for a template with one PeerRegion, naming the parameter', () => {
    const three = () => overridesOf({ parameters: { PeerRegion: {} }, regions: [...TWO, 'ap-south-1'] });
    expect(three).toThrow(TemplateError);
    expect(three).toThrow(
      'template.yaml: Parameters.PeerRegion: names one peer region, and --regions gives 3 (us-east-1, eu-west-1, ap-south-1); run two regions, or set it with --parameter-overrides PeerRegion=<region>',
    );
  });
});
