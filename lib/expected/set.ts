/**
 * Helm `--set` (strvals) parsing: `a.b=c`, `a=1,b=2`, lists `a={x,y}`, indices `a[0].b=c`,
 * escapes `\,` `\.` `\=` `\{` `\[` `\\`. Types as Helm infers them for `--set`: `true`/`false`
 * booleans, `null`, integers (no leading zero) as numbers; everything else, `15s` and `1.5`
 * included, is a string.
 */
import { ConfigError } from '../errors';

export type Values = Record<string, unknown>;

type Segment = { key: string } | { index: number };

function typed(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (raw === '0') return 0;
  if (/^-?[1-9][0-9]*$/.test(raw)) {
    const n = Number(raw);
    if (Number.isSafeInteger(n)) return n;
  }
  return raw;
}

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos];
  }
}

function fail(input: string, reason: string): never {
  throw new ConfigError(`--set ${JSON.stringify(input)}: ${reason}`, '--set');
}

/** Reads a key path up to `=`: `a.b[0].c`. */
function readKey(r: Reader, input: string): Segment[] {
  const segs: Segment[] = [];
  let cur = '';
  let pendingName = true;
  while (!r.done) {
    const c = r.peek();
    if (c === '\\') {
      r.pos++;
      if (r.done) fail(input, 'a key ends with a lone backslash');
      cur += r.s[r.pos++];
      continue;
    }
    if (c === '=') {
      if (pendingName || cur) {
        if (!cur) fail(input, 'a key is empty');
        segs.push({ key: cur });
      }
      r.pos++;
      return segs;
    }
    if (c === ',')
      fail(input, `key "${segs.map((s) => ('key' in s ? s.key : `[${s.index}]`)).join('.')}${cur}" has no value`);
    if (c === '.') {
      if (!cur && pendingName) fail(input, 'a key has an empty part');
      if (cur) segs.push({ key: cur });
      cur = '';
      pendingName = true;
      r.pos++;
      continue;
    }
    if (c === '[') {
      if (cur) segs.push({ key: cur });
      else if (pendingName && segs.length === 0) fail(input, 'a list index has no name before it');
      cur = '';
      const close = r.s.indexOf(']', r.pos);
      if (close < 0) fail(input, 'a list index is not closed with "]"');
      const idx = r.s.slice(r.pos + 1, close);
      if (!/^[0-9]+$/.test(idx)) fail(input, `list index "${idx}" is not a non-negative integer`);
      const n = Number(idx);
      if (n > 65536) fail(input, `list index ${n} is too large`);
      segs.push({ index: n });
      r.pos = close + 1;
      pendingName = false;
      continue;
    }
    cur += c;
    pendingName = true;
    r.pos++;
  }
  fail(input, `key "${cur || segs.map((s) => ('key' in s ? s.key : `[${s.index}]`)).join('.')}" has no value`);
}

/** Reads a scalar up to an unescaped `,` (or `}`/`,` inside a list). */
function readScalar(r: Reader, inList: boolean): string {
  let out = '';
  while (!r.done) {
    const c = r.peek();
    if (c === '\\' && r.pos + 1 < r.s.length) {
      out += r.s[r.pos + 1];
      r.pos += 2;
      continue;
    }
    if (c === ',' || (inList && c === '}')) break;
    out += c;
    r.pos++;
  }
  return out;
}

function readValue(r: Reader, input: string): unknown {
  if (r.peek() === '{') {
    r.pos++;
    const list: unknown[] = [];
    if (r.peek() === '}') {
      r.pos++;
      return list;
    }
    for (;;) {
      if (r.done) fail(input, 'a list is not closed with "}"');
      list.push(typed(readScalar(r, true)));
      if (r.done) fail(input, 'a list is not closed with "}"');
      const c = r.s[r.pos++];
      if (c === '}') return list;
    }
  }
  return typed(readScalar(r, false));
}

function assign(target: Values, path: Segment[], value: unknown, input: string): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = target;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    const next = path[i + 1];
    const container = () => (next && 'index' in next ? [] : {});
    if ('key' in seg) {
      if (Array.isArray(node) || node === null || typeof node !== 'object')
        fail(input, `"${seg.key}" is not inside a map`);
      if (last) node[seg.key] = value;
      else {
        if (node[seg.key] === null || typeof node[seg.key] !== 'object') node[seg.key] = container();
        node = node[seg.key];
      }
    } else {
      if (!Array.isArray(node)) fail(input, `index [${seg.index}] is used on something that is not a list`);
      while (node.length <= seg.index) node.push(null);
      if (last) node[seg.index] = value;
      else {
        if (node[seg.index] === null || typeof node[seg.index] !== 'object') node[seg.index] = container();
        node = node[seg.index];
      }
    }
  }
}

/** Parses one `--set` argument and applies it to `target` (mutated). Returns the key paths set. */
export function applySet(target: Values, input: string): string[] {
  if (input.trim() === '') fail(input, 'it is empty');
  const r = new Reader(input);
  const paths: string[] = [];
  while (!r.done) {
    const key = readKey(r, input);
    if (key.length === 0 || !('key' in key[0])) fail(input, 'a key must start with a name');
    const value = readValue(r, input);
    assign(target, key, value, input);
    paths.push(
      key
        .map((s) => ('key' in s ? s.key : `[${s.index}]`))
        .join('.')
        .replace(/\.\[/g, '['),
    );
    if (!r.done) {
      if (r.peek() !== ',') fail(input, `unexpected "${r.peek()}" after a value`);
      r.pos++;
      if (r.done) fail(input, 'it ends with a comma');
    }
  }
  return paths;
}

export function parseSet(input: string): Values {
  const v: Values = {};
  applySet(v, input);
  return v;
}
