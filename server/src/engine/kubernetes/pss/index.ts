export { evaluatePodSecurity, podViewOf } from './evaluate';
export { PSS_CHECKS, checksFor, pssCheck } from './registry';
export { LATEST_PSS_VERSION, parsePssVersion } from './version';
export type { PssCheck, PssCheckId, PssLevel, PssOptions, PssViolation, PodView } from './types';
