/**
 * Bounds on user values input, so a hostile or broken input is a clear exit 2, not minutes of CPU.
 * Helm's own limits (strvals) are marked; the others are stackcheck's and documented in docs/cli.md.
 */

/** A values file, standard input or a `--set-file` file: at most 32 MiB. */
export const MAX_VALUES_BYTES = 32 * 1024 * 1024;
/** A values file after `${VAR}` substitution: at most 32 MiB. */
export const MAX_EXPANDED_BYTES = 32 * 1024 * 1024;
/** Helm (strvals MaxIndex): the largest list index a `--set` key may use. */
export const MAX_LIST_INDEX = 65536;
/** Helm (strvals MaxNestedNameLevel): dotted levels in one `--set` key. */
export const MAX_NESTED_NAME_LEVEL = 30;
/** stackcheck: nested list indexes (`a[0][0]…`) in one `--set` key. */
export const MAX_NESTED_INDEX_LEVEL = 30;
/**
 * stackcheck: nesting of maps and lists in a values file or a `--set-json` value. The YAML reader
 * recurses per level and runs out of stack from ~800 levels in a fresh process (more once its
 * code is optimised; less with less stack left where it is called), so the limit stays well under
 * that: every input over it gets the same message naming it. Helm values are rarely 20 levels deep.
 */
export const MAX_VALUES_DEPTH = 500;

export function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}
