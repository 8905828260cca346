import { describe } from 'vitest';
import { inserts } from '../../../../src/operators/inserts.js';
import { eventNameFilterCases } from './recordOperatorCases.js';

describe(inserts.name, () => {
  eventNameFilterCases(inserts, 'INSERT', {
    kept: '-i-----i-|',
    error: '-i---#',
    unsubscribed: '-i---',
  });
});
