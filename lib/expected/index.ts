export * from './types';
export { envsubst, type EnvsubstResult } from './envsubst';
export { applySet, parseSet, typedValue, type SetFlag } from './set';
export { parseHelmYaml, resolvePlain } from './yaml';
export * from './limits';
export {
  loadUserValues,
  mergeValues,
  diffValues,
  sameValue,
  parseValuesText,
  helmOrder,
  valueSourcesFromEnv,
  SET_FLAGS_IN_HELM_ORDER,
  type ValueSource,
  type UserValues,
  type UserValuesInput,
} from './values';
export { buildExpected, albSettings, parseListenPorts, type ExpectedInputs } from './build';
