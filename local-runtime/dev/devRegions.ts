import { DevOptionsError } from './DevOptionsError.js';

const DEFAULT_REGION = 'us-east-1';
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The regions `eddy dev` runs, checked: names, no repeats, and several only on the embedded emulator.
 *
 * @example
 * devRegions({ regions: ['us-east-1', 'eu-west-1'] }); // ['us-east-1', 'eu-west-1']
 * devRegions({}); // ['us-east-1']
 */
const devRegions = (options: {
  readonly region?: string;
  readonly regions?: readonly string[];
  readonly endpoint?: string;
}): string[] => {
  if (options.region !== undefined && options.regions !== undefined) {
    throw new DevOptionsError('eddy dev: give --region or --regions, not both');
  }
  const regions = options.regions ?? [options.region ?? DEFAULT_REGION];
  if (regions.length === 0) throw new DevOptionsError('eddy dev: --regions needs at least one region');
  for (const region of regions) {
    if (!REGION_NAME.test(region)) {
      throw new DevOptionsError(`eddy dev: '${region}' is not a region name (e.g. us-east-1)`);
    }
  }
  const repeated = regions.find((region, index) => regions.indexOf(region) !== index);
  if (repeated !== undefined) throw new DevOptionsError(`eddy dev: --regions names ${repeated} twice`);
  if (regions.length > 1 && options.endpoint !== undefined) {
    throw new DevOptionsError(
      'eddy dev: several --regions run on the embedded emulator; with --endpoint give one --region',
    );
  }
  return [...regions];
};

export { devRegions };
