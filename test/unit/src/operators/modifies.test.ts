import { describe } from 'vitest';
import { modifies } from '../../../../src/operators/modifies.js';
import { eventNameFilterCases } from './recordOperatorCases.js';

describe(modifies.name, () => {
  eventNameFilterCases(modifies, 'MODIFY', {
    kept: '---m-----|',
    error: '---m-#',
    unsubscribed: '---m-',
  });
});
