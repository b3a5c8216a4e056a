/**
 * User values as Helm receives them: values files (after envsubst, as the lab pipes them through
 * `envsubst`) merged in order, then `--set`. Maps merge deeply, later sources win, lists are
 * replaced whole. `origins` remembers which source set each top-level-to-leaf path, so a type
 * error can name the file it came from.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors';
import { envsubst } from './envsubst';
import { applySet, type Values } from './set';

export type { Values };

export interface UserValuesInput {
  valuesFiles: string[];
  sets: string[];
  env: Record<string, string | undefined>;
}

export interface UserValues {
  values: Values;
  /** Leaf path → source (`file.yaml` or `--set`), for error messages. */
  origins: Record<string, string>;
  /** Variables referenced by the values files but unset (they became empty strings). */
  unsetVariables: string[];
}

export function isPlainObject(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function recordOrigins(v: unknown, prefix: string, source: string, origins: Record<string, string>): void {
  if (isPlainObject(v)) {
    for (const [k, child] of Object.entries(v)) recordOrigins(child, prefix ? `${prefix}.${k}` : k, source, origins);
  } else if (prefix) origins[prefix] = source;
}

/** Deep merge like Helm's user-values merge: maps merge, everything else (lists too) replaces. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeValues(out[k] as Values, v) : v;
  }
  return out;
}

/** Parses one values file's text (already substituted). Throws ConfigError naming the file. */
export function parseValuesText(text: string, file: string): Values {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new ConfigError(`${file}: not valid YAML${where}: ${e.message.split('\n')[0]}`, file);
  }
  const v: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (v === null || v === undefined) return {};
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

export function loadUserValues(
  input: UserValuesInput,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): UserValues {
  let values: Values = {};
  const origins: Record<string, string> = {};
  const unset = new Set<string>();
  for (const file of input.valuesFiles) {
    let raw: string;
    try {
      raw = readFile(file);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
      throw new ConfigError(`--values ${file}: cannot read the file: ${why}`, file, { cause: err });
    }
    const sub = envsubst(raw, input.env);
    sub.unset.forEach((u) => unset.add(u));
    const parsed = parseValuesText(sub.text, file);
    recordOrigins(parsed, '', file, origins);
    values = mergeValues(values, parsed);
  }
  for (const s of input.sets) {
    const setValues: Values = {};
    applySet(setValues, s);
    recordOrigins(setValues, '', `--set ${s}`, origins);
    values = mergeValues(values, setValues);
  }
  return { values, origins, unsetVariables: [...unset] };
}

const REDACTED = '[REDACTED]';

/**
 * Where the values in git (files + --set) and the values recorded in the deployed release differ:
 * leaf paths, lists compared whole. Values redacted in the release are not compared.
 */
export function diffValues(
  fileValues: Values,
  releaseConfig: Values,
): Array<{ path: string; expected: unknown; actual: unknown }> {
  const out: Array<{ path: string; expected: unknown; actual: unknown }> = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (b === REDACTED || containsRedacted(b)) return;
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, expected: a, actual: b });
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
