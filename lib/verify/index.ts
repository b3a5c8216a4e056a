export { verify, hintsFor, type VerifyDeps, type VerifyOutcome } from './job';
export { parseVerifyRequest, CLI_NAMES, type VerifyRequest, type RawVerifyInput, type VerifySource } from './request';
export { planFor, selectedFamilies, type Plan } from './plan';
export { verifyWaiting } from './wait';
