export { ofEventName } from './ofEventName.js';
export type { ProcessEachOptions } from './processEach.js';
export { processEach } from './processEach.js';
export type { ProjectOptions } from './project.js';
export { project, SOURCE_SEQUENCE_ATTRIBUTE } from './project.js';
