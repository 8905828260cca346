import { describe, expect, it } from 'vitest';
import { DevOptionsError } from '../../../../local-runtime/dev/DevOptionsError.js';
import { devRegions } from '../../../../local-runtime/dev/devRegions.js';

describe('devRegions', () => {
  it('runs us-east-1 by default, --region alone, or each of --regions', () => {
    expect(devRegions({})).toEqual(['us-east-1']);
    expect(devRegions({ region: 'eu-west-1' })).toEqual(['eu-west-1']);
    expect(devRegions({ regions: ['us-east-1', 'eu-west-1'] })).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('refuses --region with --regions, no region, a name that is not a region, and a repeat', () => {
    expect(() => devRegions({ region: 'us-east-1', regions: ['eu-west-1'] })).toThrow(
      new DevOptionsError('eddy dev: give --region or --regions, not both'),
    );
    expect(() => devRegions({ regions: [] })).toThrow('eddy dev: --regions needs at least one region');
    expect(() => devRegions({ regions: ['useast1'] })).toThrow(
      "eddy dev: 'useast1' is not a region name (e.g. us-east-1)",
    );
    expect(() => devRegions({ regions: ['us-east-1', 'us-east-1'] })).toThrow(
      'eddy dev: --regions names us-east-1 twice',
    );
  });

  it('runs several regions on the embedded emulator only', () => {
    expect(() =>
      devRegions({ regions: ['us-east-1', 'eu-west-1'], endpoint: 'http://localhost:8001' }),
    ).toThrow('eddy dev: several --regions run on the embedded emulator; with --endpoint give one --region');
    expect(devRegions({ region: 'eu-west-1', endpoint: 'http://localhost:8001' })).toEqual(['eu-west-1']);
  });
});
