import { describe } from 'vitest';
import { notTtlExpiry } from '../../../../src/operators/notTtlExpiry.js';
import { ttlFilterCases } from './recordOperatorCases.js';

describe(notTtlExpiry.name, () => {
  ttlFilterCases(notTtlExpiry, 'drops the REMOVE records made by TTL and keeps every other record', {
    kept: '-i-r---m---s-|',
    error: '-i-r---#',
  });
});
