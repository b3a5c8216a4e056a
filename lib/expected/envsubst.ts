/**
 * `envsubst` as GNU gettext does it: `${NAME}` and `$NAME` (NAME = [A-Za-z_][A-Za-z0-9_]*) are
 * replaced by the variable's value, or by nothing when it is unset. Anything else with a `$`
 * (`$1`, `${A:-b}`, a lone `$`) is left as it is.
 */
export interface EnvsubstResult {
  text: string;
  /** Variables referenced but not set (their references became empty strings). */
  unset: string[];
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function envsubst(text: string, env: Record<string, string | undefined>): EnvsubstResult {
  const unset = new Set<string>();
  const out = text.replace(REF, (_m, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = env[name];
    if (value === undefined) {
      unset.add(name);
      return '';
    }
    return value;
  });
  return { text: out, unset: [...unset] };
}
