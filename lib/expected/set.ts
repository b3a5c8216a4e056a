/**
 * Helm's `--set` family (the strvals parser), applied into the values built so far, as Helm's
 * MergeValues does:
 *
 * - `--set`: `a.b=c`, `a=1,b=2` (a trailing comma is accepted), lists `a={x,y}`, indexes
 *   `a[0].b=c` and `a[0][1]=c` (index at most 65536), escapes `\,` `\.` `\=` `\[` `\\` (a backslash
 *   takes the next character literally). Types: `true`/`false`/`null` in any case, `0`, and
 *   decimal integers not starting with 0 (`+1`, `-7`) are typed; everything else is a string
 *   (`007`, `1.5`, `15s`). `null` sets null, which deletes the key from the chart's defaults.
 * - `--set-string`: the same, every value a string.
 * - `--set-json`: values are JSON (`a={"b":1},c=[1,2]`); an empty value is null.
 * - `--set-file`: values are file paths; the value is the file's text (`-` is standard input).
 * - `--set-literal`: one key, the rest of the argument is the value as is (no commas, escapes or types).
 *
 * A key nests at most 30 dotted levels (Helm's limit). A key that would descend into something
 * that is not a map (or index something that is not a list) is an error, as in Helm. Maps are
 * null-prototype objects: `__proto__` and friends are plain keys.
 */
import { ConfigError } from '../errors';
import { isSecretKey } from '../redact';
import { MAX_LIST_INDEX, MAX_NESTED_INDEX_LEVEL, MAX_NESTED_NAME_LEVEL } from './limits';
import { isPlainObject, newMap, toValues, type Values } from './yaml';

export type { Values };

export type SetFlag = 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal';

export interface ApplySetOptions {
  /** `--set-file`: the text of the file a value names. */
  readFile?: (path: string) => string;
}

const EOF = Symbol('eof');

class ParseError extends Error {}

function show(input: string): string {
  return JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input);
}

class StrvalsParser {
  private pos = 0;
  /** Leaf paths set, for origins. */
  readonly paths: string[] = [];

  constructor(
    private readonly s: string,
    private readonly flag: SetFlag,
    private readonly options: ApplySetOptions,
  ) {}

  private get literal(): boolean {
    return this.flag === 'set-literal';
  }

  /** Reads up to one of `stop`; returns the text and the stop character (undefined at the end). */
  private until(stop: string): { text: string; last: string | undefined } {
    let text = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (stop.includes(c)) return { text, last: c };
      if (c === '\\' && !this.literal) {
        if (this.pos >= this.s.length) return { text, last: undefined };
        text += this.s[this.pos++];
        continue;
      }
      text += c;
    }
    return { text, last: undefined };
  }

  private reader(raw: string): unknown {
    switch (this.flag) {
      case 'set-string':
      case 'set-literal':
        return raw;
      case 'set-file': {
        const read = this.options.readFile;
        if (!read) throw new ParseError('--set-file is not available here');
        return read(raw);
      }
      default:
        return typedValue(raw);
    }
  }

  parse(data: Values): void {
    for (;;) {
      if (this.key(data, 0, 0, '') === EOF) return;
    }
  }

  private set(data: Values, key: string, value: unknown, path: string): void {
    if (key.length === 0) return; // Helm ignores an empty key
    data[key] = value;
    this.paths.push(path);
  }

  /** Returns EOF when the input is consumed. */
  private key(data: Values, names: number, indexes: number, prefix: string): typeof EOF | void {
    const { text: k, last } = this.until(this.literal ? '=[.' : '=[,.');
    const path = prefix ? `${prefix}.${k}` : k;
    if (last === undefined) {
      if (k.length === 0) return EOF;
      throw new ParseError(`key "${k}" has no value`);
    }
    if (last === '[') {
      const i = this.index();
      if (i === EOF) return EOF;
      let list: unknown[] = [];
      if (k in data) {
        const existing = data[k];
        if (!Array.isArray(existing))
          throw new ParseError(`cannot index ${path}: it is ${describe(existing)}, not a list`);
        list = existing;
      }
      const r = this.listItem(list, i, names, indexes + 1, path);
      this.set(data, k, r.list, path);
      return r.eof ? EOF : undefined;
    }
    if (last === '=') {
      if (this.flag === 'set-json') {
        if (this.emptyValue()) {
          this.set(data, k, null, path);
          return;
        }
        this.set(data, k, this.jsonValue(k), path);
        this.emptyValue();
        return;
      }
      if (this.literal) {
        this.set(data, k, this.s.slice(this.pos), path);
        this.pos = this.s.length;
        return;
      }
      const v = this.valueOrList();
      this.set(data, k, v.value, path);
      return v.eof ? EOF : undefined;
    }
    if (last === ',') throw new ParseError(`key "${k}" has no value (cannot end with ,)`);
    // last === '.'
    if (names + 1 > MAX_NESTED_NAME_LEVEL)
      throw new ParseError(
        `key nests deeper than ${MAX_NESTED_NAME_LEVEL} levels (Helm's maximum supported nested level)`,
      );
    let inner = newMap();
    if (k in data) {
      const existing = data[k];
      if (!isPlainObject(existing))
        throw new ParseError(`cannot set a key inside ${path}: it is ${describe(existing)}, not a map`);
      inner = existing;
    }
    const r = this.key(inner, names + 1, indexes, path);
    if (r !== EOF && Object.keys(inner).length === 0) throw new ParseError(`key map "${k}" has no value`);
    if (Object.keys(inner).length !== 0) this.set(data, k, inner, path);
    return r;
  }

  private index(): number | typeof EOF {
    const { text, last } = this.until(']');
    if (last === undefined) return EOF; // Helm stops quietly at an unclosed index
    if (!/^[+-]?[0-9]+$/.test(text)) throw new ParseError(`list index "${text}" is not a number`);
    const i = Number(text);
    if (i < 0) throw new ParseError(`negative ${i} index not allowed`);
    if (i > MAX_LIST_INDEX)
      throw new ParseError(`list index ${i} is greater than the maximum supported index of ${MAX_LIST_INDEX}`);
    return i;
  }

  private setIndex(list: unknown[], i: number, value: unknown): unknown[] {
    while (list.length <= i) list.push(null);
    list[i] = value;
    return list;
  }

  private listItem(
    list: unknown[],
    i: number,
    names: number,
    indexes: number,
    path: string,
  ): { list: unknown[]; eof?: boolean } {
    if (indexes > MAX_NESTED_INDEX_LEVEL)
      throw new ParseError(`key nests more than ${MAX_NESTED_INDEX_LEVEL} list indexes`);
    const here = `${path}[${i}]`;
    const { text, last } = this.until('[.=');
    if (text.length > 0) throw new ParseError(`unexpected data at end of array index: "${text}"`);
    if (last === undefined) return { list, eof: true };
    if (last === '=') {
      this.paths.push(here);
      if (this.flag === 'set-json') {
        if (this.emptyValue()) return { list: this.setIndex(list, i, null) };
        const v = this.jsonValue(path.slice(path.lastIndexOf('.') + 1));
        this.emptyValue();
        return { list: this.setIndex(list, i, v) };
      }
      if (this.literal) {
        const v = this.s.slice(this.pos);
        this.pos = this.s.length;
        return { list: this.setIndex(list, i, v) };
      }
      const v = this.valueOrList();
      return { list: this.setIndex(list, i, v.value) };
    }
    if (last === '[') {
      const next = this.index();
      if (next === EOF) return { list, eof: true };
      let inner: unknown[] = [];
      if (list.length > i && list[i] !== null && list[i] !== undefined) {
        if (!Array.isArray(list[i]))
          throw new ParseError(`cannot index ${here}: it is ${describe(list[i])}, not a list`);
        inner = list[i] as unknown[];
      }
      const r = this.listItem(inner, next, names, indexes + 1, here);
      return { list: this.setIndex(list, i, r.list), eof: r.eof };
    }
    // last === '.'
    let inner = newMap();
    if (list.length > i && isPlainObject(list[i])) inner = list[i] as Values;
    const r = this.key(inner, names, indexes, here);
    return { list: this.setIndex(list, i, inner), eof: r === EOF };
  }

  /** A value up to `,`, or a `{a,b}` list. `eof` when nothing follows the `=` (Helm then stops). */
  private valueOrList(): { value: unknown; eof?: boolean } {
    if (this.pos >= this.s.length) return { value: '', eof: true };
    if (this.s[this.pos] !== '{') {
      const { text } = this.until(',');
      return { value: this.reader(text) };
    }
    this.pos++;
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = this.until(',}');
      if (last === undefined) throw new ParseError(`list must terminate with '}'`);
      list.push(this.reader(text));
      if (last === '}') {
        if (this.s[this.pos] === ',') this.pos++;
        return { value: list };
      }
    }
  }

  /** Skips blanks and one comma; true when no value follows (end of input or a comma). */
  private emptyValue(): boolean {
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        return true;
      }
      if (!/\s/.test(c)) return false;
      this.pos++;
    }
    return true;
  }

  /**
   * One JSON value from the input (the rest may follow after a comma). `key` is the name it is set
   * under: the error for a value under a secret key (`adminPassword=hunter2`, unquoted) does not
   * quote the value, as JSON.parse's message would.
   */
  private jsonValue(key: string): unknown {
    const start = this.pos;
    const end = jsonEnd(this.s, start);
    const secret = isSecretKey(key);
    const hidden = `invalid JSON value (not shown: ${key} holds a secret; a JSON string is quoted: ${key}="…")`;
    if (end === undefined) throw new ParseError(secret ? hidden : `invalid JSON value: ${show(this.s.slice(start))}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.s.slice(start, end));
    } catch (err) {
      throw new ParseError(secret ? hidden : `invalid JSON value: ${(err as Error).message}`);
    }
    this.pos = end;
    return toValues(parsed, `--set-json ${show(this.s)}`);
  }
}

/** Where the JSON value starting at `start` ends (exclusive), or undefined when it does not end. */
function jsonEnd(s: string, start: number): number | undefined {
  const c = s[start];
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let i = start; i < s.length; i++) {
      const ch = s[i];
      if (ch === '"') {
        i++;
        while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        if (i >= s.length) return undefined;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return undefined;
  }
  if (c === '"') {
    let i = start + 1;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    return i < s.length ? i + 1 : undefined;
  }
  let i = start;
  while (i < s.length && /[-+0-9.eEa-zA-Z]/.test(s[i])) i++;
  return i > start ? i : undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Helm's typing of a `--set` value. */
export function typedValue(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (raw === '0') return 0;
  if (raw.length > 0 && raw[0] !== '0' && /^[+-]?[0-9]+$/.test(raw)) {
    const n = BigInt(raw);
    if (n >= INT64_MIN && n <= INT64_MAX) {
      const v = Number(n);
      return v === 0 ? 0 : v;
    }
  }
  return raw;
}

/**
 * Parses one argument of `flag` and applies it into `target` (mutated), as Helm's strvals does.
 * Returns the leaf paths set. Throws ConfigError naming the flag and the argument.
 */
export function applySet(
  target: Values,
  input: string,
  flag: SetFlag = 'set',
  options: ApplySetOptions = {},
): string[] {
  const p = new StrvalsParser(input, flag, options);
  try {
    p.parse(target);
  } catch (err) {
    if (err instanceof ParseError) throw new ConfigError(`--${flag} ${show(input)}: ${err.message}`, `--${flag}`);
    if (err instanceof ConfigError)
      throw new ConfigError(`--${flag} ${show(input)}: ${err.message}`, `--${flag}`, { cause: err });
    throw err;
  }
  return p.paths;
}

/** `--set` (or another flag of the family) applied to empty values. */
export function parseSet(input: string, flag: SetFlag = 'set', options: ApplySetOptions = {}): Values {
  const v = newMap();
  applySet(v, input, flag, options);
  return v;
}
