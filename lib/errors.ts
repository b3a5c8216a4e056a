/**
 * Named errors. Each sets `name` and keeps `cause`, so logs and stack traces say what failed.
 * The CLI maps them to exit codes (docs/cli.md): ConfigError/UsageError → 2, CollectError → 3.
 */

/** Bad flags or arguments. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A values file, `--set`, snapshot or other configuration input is unusable. `source` names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly source?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The observed state could not be collected at all (for example authentication refused). */
export class CollectError extends Error {
  override name = 'CollectError';
  constructor(
    message: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short, single-line description of any thrown value, for messages and error results. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const prefix = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    const suffix = typeof code === 'string' && !err.message.includes(code) ? ` (${code})` : '';
    return `${prefix}${err.message}${suffix}`.split('\n')[0];
  }
  return String(err).split('\n')[0];
}
