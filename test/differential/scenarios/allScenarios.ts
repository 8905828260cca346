import type { Scenario } from '../Scenario.js';
import { itemScenarios } from './itemScenarios.js';
import { multiAttributeIndexScenarios } from './multiAttributeIndexScenarios.js';
import { multiItemScenarios } from './multiItemScenarios.js';
import { readScenarios } from './readScenarios.js';
import { statementScenarios } from './statementScenarios.js';
import { streamScenarios } from './streamScenarios.js';
import { validationScenarios } from './validationScenarios.js';

/** Every differential scenario, in the order they run. Add a file's list here. */
const ALL_SCENARIOS: readonly Scenario[] = [
  ...itemScenarios,
  ...streamScenarios,
  ...validationScenarios,
  ...readScenarios,
  ...multiItemScenarios,
  ...multiAttributeIndexScenarios,
  ...statementScenarios,
];

export { ALL_SCENARIOS };
