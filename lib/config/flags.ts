/**
 * Flags win over the config file: a `verify` default of the config file fills a flag the command
 * line did not give (commander says where each value came from). Pure.
 */
import type { VerifyDefaults } from './types';

/** The verify flags as commander parses them (strings; lists for the repeatable ones). */
export interface FlagValues {
  [key: string]: string | string[] | boolean | undefined;
}

const LIST_FLAGS = { values: 'values', set: 'set' } as const;
const STRING_FLAGS = [
  'snapshot',
  'cluster',
  'region',
  'kubeconfig',
  'context',
  'domain',
  'certArn',
  'release',
  'namespace',
  'prometheusUrl',
  'grafanaUrl',
  'format',
  'output',
  'failOn',
  'state',
  'wait',
  'pushgateway',
] as const;

/**
 * `given(key)` is true when the command line set that flag. Lists given on the command line
 * replace the file's; `--env` pairs are merged by name, the command line's winning.
 */
export function withConfigDefaults<T extends FlagValues>(
  flags: T,
  defaults: VerifyDefaults,
  given: (key: string) => boolean,
): T {
  const out: FlagValues = { ...flags };
  for (const k of STRING_FLAGS) if (!given(k) && defaults[k] !== undefined) out[k] = String(defaults[k]);
  for (const k of Object.keys(LIST_FLAGS) as Array<keyof typeof LIST_FLAGS>)
    if (!given(k) && defaults[k]) out[k] = [...(defaults[k] ?? [])];
  if (!given('checks') && defaults.checks) out.checks = defaults.checks.join(',');
  if (!given('skip') && defaults.skip) out.skip = defaults.skip.join(',');
  if (!given('notify') && defaults.notify) out.notify = defaults.notify.join(',');
  for (const k of ['notifyAlways', 'verbose', 'quiet'] as const)
    if (!given(k) && defaults[k] !== undefined) out[k] = defaults[k];
  if (!given('timeout') && defaults.timeout !== undefined) out.timeout = String(defaults.timeout);
  if (defaults.env) {
    const fromFlags = (flags.env as string[] | undefined) ?? [];
    const named = new Set(fromFlags.map((p) => p.slice(0, p.indexOf('='))));
    out.env = [
      ...Object.entries(defaults.env)
        .filter(([k]) => !named.has(k))
        .map(([k, v]) => `${k}=${v}`),
      ...fromFlags,
    ];
  }
  return out as T;
}
