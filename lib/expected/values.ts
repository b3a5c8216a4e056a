/**
 * User values as Helm's MergeValues builds them: values files (`-f`/`--values`, `-` is standard
 * input) merged in order, then `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`,
 * each flag kind in the order given, applied into the result (not merged: `--set a[1]=x` changes
 * the list a file gave). Maps merge deeply, later files win, lists are replaced whole.
 *
 * Files named by a path are substituted with the environment first (the lab pipes them through
 * `envsubst`); standard input is taken as it comes (it already went through the user's pipe).
 * `origins` remembers which source set each path, so a type error can name the file or flag.
 * This module reads nothing itself: file contents come through the injected `readFile` and
 * standard input as data (`stdin`).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ConfigError } from '../errors';
import { envsubst } from './envsubst';
import { MAX_VALUES_BYTES, mib } from './limits';
import { applySet, type SetFlag } from './set';
import { isPlainObject, newMap, parseHelmYaml, type Values } from './yaml';

export type { Values, SetFlag };
export { isPlainObject };

/** One values source as given on the command line (or in the Lambda's environment). */
export type ValueSource = { kind: 'values'; file: string } | { kind: SetFlag; value: string };

/** The order Helm applies the --set family in (pkg/cli/values MergeValues), after the files. */
export const SET_FLAGS_IN_HELM_ORDER: readonly SetFlag[] = ['set-json', 'set', 'set-string', 'set-file', 'set-literal'];

/** Sorts sources into Helm's order: files as given, then each --set kind as given (stable). */
export function helmOrder(sources: readonly ValueSource[]): ValueSource[] {
  const rank = (s: ValueSource) => (s.kind === 'values' ? -1 : SET_FLAGS_IN_HELM_ORDER.indexOf(s.kind));
  return sources
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map((x) => x.s);
}

export interface UserValuesInput {
  /** Ordered sources (put into Helm's order here). When absent, `valuesFiles` then `sets`. */
  sources?: ValueSource[];
  valuesFiles?: string[];
  sets?: string[];
  /** Environment for `${VAR}` substitution in values files named by a path. */
  env: Record<string, string | undefined>;
  /** Standard input, for `--values -` (or `--set-file key=-`): read once by the caller. */
  stdin?: string;
}

export interface UserValues {
  values: Values;
  /** Path → source (`file.yaml`, `--set a=b`), for error messages. */
  origins: Record<string, string>;
  /** Variables referenced by the values files but unset (they became empty strings). */
  unsetVariables: string[];
  /** Variables substituted into the values files, with their values (for redaction). */
  substituted: Array<{ name: string; value: string; file: string }>;
}

/** Reads a file after checking its size against MAX_VALUES_BYTES. */
export function readBoundedFile(path: string, maxBytes = MAX_VALUES_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) {
      if (stat.size > maxBytes) throw new SizeLimitError(stat.size);
      return readFileSync(fd, 'utf8');
    }
    // A pipe or device (`--values <(envsubst < f)`): read in chunks, never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new SizeLimitError(total);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

class SizeLimitError extends Error {
  constructor(readonly size: number) {
    super(`larger than ${size}`);
  }
}

function recordOrigins(v: unknown, prefix: string, source: string, origins: Record<string, string>): void {
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) recordOrigins(v[k], prefix ? `${prefix}.${k}` : k, source, origins);
  } else if (prefix) origins[prefix] = source;
}

function forgetBelow(path: string, origins: Record<string, string>): void {
  for (const p of Object.keys(origins)) if (p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) delete origins[p];
}

/** Deep merge like Helm's mergeMaps: maps merge, everything else (lists too) replaces. */
export function mergeValues(base: Values, over: Values): Values {
  const out = newMap();
  for (const k of Object.keys(base)) out[k] = base[k];
  for (const k of Object.keys(over)) {
    const v = over[k];
    const b = out[k];
    out[k] = isPlainObject(v) && isPlainObject(b) ? mergeValues(b, v) : v;
  }
  return out;
}

/** Parses one values file's text (already substituted). Throws ConfigError naming the file. */
export function parseValuesText(text: string, file: string): Values {
  const v = parseHelmYaml(text, file);
  if (v === null || v === undefined) return newMap();
  if (!isPlainObject(v)) {
    throw new ConfigError(
      `${file}: the top level of a values file must be a map of keys, got ${describeType(v)}`,
      file,
    );
  }
  return v;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

function whyUnreadable(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}

export function loadUserValues(
  input: UserValuesInput,
  readFile: (path: string) => string = (p) => readBoundedFile(p),
): UserValues {
  const sources = helmOrder(
    input.sources ?? [
      ...(input.valuesFiles ?? []).map((file): ValueSource => ({ kind: 'values', file })),
      ...(input.sets ?? []).map((value): ValueSource => ({ kind: 'set', value })),
    ],
  );
  let stdinReadBy: string | undefined;
  /** The text of a file or of standard input, bounded. `flag` names it in errors. */
  const read = (path: string, flag: string): string => {
    if (path.trim() === '-') {
      if (input.stdin === undefined) throw new ConfigError(`${flag} -: standard input was not provided`, flag);
      if (stdinReadBy)
        throw new ConfigError(`${flag} -: standard input can be read only once (already read by ${stdinReadBy})`, flag);
      stdinReadBy = flag === 'file' ? '--set-file' : `${flag} -`;
      if (Buffer.byteLength(input.stdin) > MAX_VALUES_BYTES)
        throw new ConfigError(`${flag} -: standard input is larger than the ${mib(MAX_VALUES_BYTES)} limit`, flag);
      return input.stdin;
    }
    let raw: string;
    try {
      raw = readFile(path);
    } catch (err) {
      if (err instanceof SizeLimitError)
        throw new ConfigError(`${flag} ${path}: the file is larger than the ${mib(MAX_VALUES_BYTES)} limit`, path);
      throw new ConfigError(`${flag} ${path}: cannot read the file: ${whyUnreadable(err)}`, path, { cause: err });
    }
    if (Buffer.byteLength(raw) > MAX_VALUES_BYTES)
      throw new ConfigError(`${flag} ${path}: the file is larger than the ${mib(MAX_VALUES_BYTES)} limit`, path);
    return raw;
  };

  let values: Values = newMap();
  const origins: Record<string, string> = {};
  const unset = new Set<string>();
  const substituted: UserValues['substituted'] = [];
  for (const src of sources) {
    if (src.kind === 'values') {
      const isStdin = src.file.trim() === '-';
      let text = read(src.file, '--values');
      const name = isStdin ? '--values -' : src.file;
      if (!isStdin) {
        const sub = envsubst(text, input.env, { source: `--values ${src.file}` });
        sub.unset.forEach((u) => unset.add(u));
        for (const s of sub.substituted) substituted.push({ ...s, file: src.file });
        text = sub.text;
      }
      const parsed = parseValuesText(text, name);
      recordOrigins(parsed, '', name, origins);
      values = mergeValues(values, parsed);
      continue;
    }
    const flag = `--${src.kind}`;
    const paths = applySet(values, src.value, src.kind, { readFile: (p) => read(p, 'file') });
    for (const p of paths) {
      forgetBelow(p, origins);
      origins[p] = `${flag} ${JSON.stringify(src.value.length > 80 ? `${src.value.slice(0, 77)}...` : src.value)}`;
    }
  }
  return { values, origins, unsetVariables: [...unset], substituted };
}

const SET_ENV: Array<[string, SetFlag]> = [
  ['VALUES_SET_JSON', 'set-json'],
  ['VALUES_SET', 'set'],
  ['VALUES_SET_STRING', 'set-string'],
  ['VALUES_SET_FILE', 'set-file'],
  ['VALUES_SET_LITERAL', 'set-literal'],
];

function envList(env: Record<string, string | undefined>, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`environment variable ${name} is not valid JSON (expected a JSON list of strings)`, name);
  }
  if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string'))
    throw new ConfigError(`environment variable ${name} must be a JSON list of strings`, name);
  return parsed as string[];
}

/**
 * The Lambda's values sources from its environment, in the order the CLI produces them:
 * VALUES_FILE (a path, or a JSON list of paths), then VALUES_SET_JSON, VALUES_SET,
 * VALUES_SET_STRING, VALUES_SET_FILE, VALUES_SET_LITERAL (each a JSON list of strings, one
 * entry per flag, e.g. `["a.b=1","c=x"]`). Throws ConfigError naming the variable.
 */
export function valueSourcesFromEnv(env: Record<string, string | undefined>): ValueSource[] {
  const file = env.VALUES_FILE?.trim();
  const files = !file ? [] : file.startsWith('[') ? envList(env, 'VALUES_FILE') : [file];
  const sources: ValueSource[] = files.map((f) => ({ kind: 'values', file: f }));
  for (const [name, kind] of SET_ENV) for (const value of envList(env, name)) sources.push({ kind, value });
  return helmOrder(sources);
}

const REDACTED = '[REDACTED]';

function own(o: Values, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

/** Equality of JSON-like values: maps compared key by key whatever their order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * Where the values given (files + --set flags, read as Helm reads them) and the values recorded in
 * the deployed release differ: leaf paths, lists compared whole. Both sides are Helm's JSON form,
 * so a YAML 1.1 spelling (`yes`, `0755`) equals what Helm recorded (`true`, `493`). Values redacted
 * in the release are not compared.
 */
export function diffValues(
  fileValues: Values,
  releaseConfig: Values,
): Array<{ path: string; expected: unknown; actual: unknown }> {
  const out: Array<{ path: string; expected: unknown; actual: unknown }> = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(own(a, k), own(b, k), path ? `${path}.${k}` : k);
      return;
    }
    if (b === REDACTED || containsRedacted(b)) return;
    if (!sameValue(a, b)) out.push({ path, expected: a, actual: b });
  };
  walk(fileValues, releaseConfig, '');
  return out;
}

function containsRedacted(v: unknown): boolean {
  if (v === REDACTED) return true;
  if (Array.isArray(v)) return v.some(containsRedacted);
  if (isPlainObject(v)) return Object.values(v).some(containsRedacted);
  return false;
}
