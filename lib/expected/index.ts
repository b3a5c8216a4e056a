export * from './types';
export { envsubst } from './envsubst';
export { applySet, parseSet } from './set';
export {
  loadUserValues,
  mergeValues,
  diffValues,
  parseValuesText,
  type UserValues,
  type UserValuesInput,
} from './values';
export { buildExpected, albSettings, parseListenPorts, type ExpectedInputs } from './build';
