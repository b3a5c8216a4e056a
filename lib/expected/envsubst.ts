/**
 * `envsubst` as GNU gettext does it: `${NAME}` and `$NAME` (NAME = [A-Za-z_][A-Za-z0-9_]*) are
 * replaced by the variable's value, or by nothing when it is unset. Anything else with a `$`
 * (`$1`, `${A:-b}`, a lone `$`) is left as it is. The result is bounded (MAX_EXPANDED_BYTES by
 * default): a text that would grow past it is refused before it is built.
 */
import { ConfigError } from '../errors';
import { MAX_EXPANDED_BYTES, mib } from './limits';

export interface EnvsubstResult {
  text: string;
  /** Variables referenced but not set (their references became empty strings). */
  unset: string[];
  /** Variables substituted, with their values (for redaction of secrets by the reports). */
  substituted: Array<{ name: string; value: string }>;
}

export interface EnvsubstOptions {
  /** Largest result in UTF-8 bytes. */
  maxBytes?: number;
  /** Names the input in the error (`--values monitor-values.yaml`). */
  source?: string;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function envsubst(
  text: string,
  env: Record<string, string | undefined>,
  options: EnvsubstOptions = {},
): EnvsubstResult {
  const max = options.maxBytes ?? MAX_EXPANDED_BYTES;
  const unset = new Set<string>();
  const substituted = new Map<string, string>();
  const parts: string[] = [];
  let size = 0;
  let last = 0;
  const add = (s: string) => {
    size += Buffer.byteLength(s);
    if (size > max) {
      const where = options.source ? `${options.source}: ` : '';
      throw new ConfigError(
        `${where}substituting environment variables makes the text larger than the ${mib(max)} limit`,
        options.source,
      );
    }
    parts.push(s);
  };
  for (const m of text.matchAll(REF)) {
    add(text.slice(last, m.index));
    last = (m.index as number) + m[0].length;
    const name = (m[1] ?? m[2]) as string;
    const value = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (value === undefined) {
      unset.add(name);
      continue;
    }
    substituted.set(name, value);
    add(value);
  }
  add(text.slice(last));
  return {
    text: parts.join(''),
    unset: [...unset],
    substituted: [...substituted].map(([name, value]) => ({ name, value })),
  };
}
