import { describe } from 'vitest';
import { removes } from '../../../../src/operators/removes.js';
import { eventNameFilterCases } from './recordOperatorCases.js';

describe(removes.name, () => {
  eventNameFilterCases(removes, 'REMOVE', {
    kept: '-----r---|',
    error: '-----#',
    unsubscribed: '-----',
  });
});
