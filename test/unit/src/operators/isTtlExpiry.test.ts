import { describe } from 'vitest';
import { isTtlExpiry } from '../../../../src/operators/isTtlExpiry.js';
import { ttlFilterCases } from './recordOperatorCases.js';

describe(isTtlExpiry.name, () => {
  ttlFilterCases(isTtlExpiry, 'keeps only the REMOVE records made by TTL', {
    kept: '-----x---x---|',
    error: '-----x-#',
  });
});
