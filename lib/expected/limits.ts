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
/** stackcheck: nesting of maps and lists in a values file or a `--set-json` value. */
export const MAX_VALUES_DEPTH = 1000;

export function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}
