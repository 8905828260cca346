import { TemplateError } from '../template/TemplateError.js';

/** The template parameter that names the other region of a two-region deployment. */
const PEER_REGION_PARAMETER = 'PeerRegion';

/**
 * The parameter overrides of each region: the user's (`--parameter-overrides`), and, when the template declares
 * a `PeerRegion` parameter and two regions run, `PeerRegion` set to the other region, as a two-region deployment
 * would be given. With three or more regions there is no single peer, so such a template is refused unless the
 * user sets `PeerRegion` themselves; a `PeerRegion` the user sets wins in every region.
 *
 * @example
 * regionParameterOverrides({ templatePath: 'template.yaml', parameters: { PeerRegion: {} },
 *   regions: ['us-east-1', 'eu-west-1'], overrides: { Stage: 'dev' } });
 * // us-east-1 → { Stage: 'dev', PeerRegion: 'eu-west-1' }, eu-west-1 → { Stage: 'dev', PeerRegion: 'us-east-1' }
 */
const regionParameterOverrides = (input: {
  readonly templatePath: string;
  /** The template's `Parameters` section. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly regions: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
}): Map<string, Record<string, string>> => {
  const { regions, overrides } = input;
  const perRegion = new Map(regions.map((region) => [region, { ...overrides }]));
  const declared = Object.hasOwn(input.parameters, PEER_REGION_PARAMETER);
  if (regions.length < 2 || !declared || Object.hasOwn(overrides, PEER_REGION_PARAMETER)) return perRegion;
  if (regions.length > 2) {
    throw new TemplateError(
      input.templatePath,
      `Parameters.${PEER_REGION_PARAMETER}`,
      `names one peer region, and --regions gives ${regions.length} (${regions.join(', ')}); run two regions, or set it with --parameter-overrides PeerRegion=<region>`,
    );
  }
  const [a, b] = regions as [string, string];
  perRegion.set(a, { ...overrides, [PEER_REGION_PARAMETER]: b });
  perRegion.set(b, { ...overrides, [PEER_REGION_PARAMETER]: a });
  return perRegion;
};

export { PEER_REGION_PARAMETER, regionParameterOverrides };
