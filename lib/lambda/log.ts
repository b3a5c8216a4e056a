/** What the verify Lambda logs about a failed run: the error's name and its reason, redacted. */
import { describeError } from '../errors';
import { redactorFor } from '../redact';

export function failureLogFields(
  error: unknown,
  env: Record<string, string | undefined>,
): { error: string; reason: string } {
  let valuesEnv: Record<string, string> = {};
  try {
    valuesEnv = JSON.parse(env.VALUES_ENV ?? '{}') as Record<string, string>;
  } catch {
    // not JSON: the run failed on that very thing; the plain environment still counts
  }
  const r = redactorFor({ env: { ...env, ...valuesEnv } });
  return {
    error: error instanceof Error ? error.name : typeof error,
    reason: r.text(error instanceof Error ? error.message : describeError(error)),
  };
}
