/**
 * Reads only some members of a JSON document, without building the rest.
 *
 * A Kubernetes list page is mostly what stackcheck never reads: a Node is 6–9 KB of which the
 * checks read its name, labels, taints and Ready condition; the bulk is managedFields, the image
 * list, addresses and capacities. `JSON.parse` builds every one of those objects and strings, and
 * that is where the CPU of reading a big list goes. `pickJson` walks the UTF-8 bytes instead:
 * members the pick names are parsed (with `JSON.parse`, on their own bytes), the others are
 * skipped by scanning for their end (strings by `indexOf` of the closing quote). The result is
 * what `JSON.parse` followed by keeping the picked members would give.
 *
 * Skipped members are checked only for balance (brackets and string quotes), not parsed: a
 * truncated document is an error (`SyntaxError`), as it is for `JSON.parse`.
 */

/** `true`: the whole value; an object: those members of an object; `[p]`: each element of an array by `p`. */
export type Pick = true | { readonly [member: string]: Pick } | readonly [Pick];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

class Scanner {
  constructor(private readonly b: Buffer) {}

  fail(at: number, what: string): never {
    throw new SyntaxError(`JSON: ${what} at byte ${at} of ${this.b.length}`);
  }

  ws(i: number): number {
    const b = this.b;
    while (i < b.length) {
      const c = b[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i++;
    }
    return i;
  }

  /** `i` at an opening quote; returns the index after the closing one. */
  string(i: number): number {
    const b = this.b;
    let j = i + 1;
    for (;;) {
      const q = b.indexOf(QUOTE, j);
      if (q < 0) this.fail(i, 'unterminated string');
      let k = q - 1;
      while (b[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /** The index after the value starting at `i` (which is not whitespace). */
  skip(i: number): number {
    const b = this.b;
    const c = b[i];
    if (c === QUOTE) return this.string(i);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      const n = b.length;
      for (let j = i; j < n; j++) {
        const d = b[j];
        if (d === QUOTE) j = this.string(j) - 1;
        else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
          if (--depth === 0) return j + 1;
        }
      }
      this.fail(i, 'unterminated object or array');
    }
    // A number, true, false or null: up to the next delimiter.
    let j = i;
    while (j < b.length) {
      const d = b[j];
      if (
        d === COMMA ||
        d === CLOSE_OBJECT ||
        d === CLOSE_ARRAY ||
        d === 0x20 ||
        d === 0x0a ||
        d === 0x0d ||
        d === 0x09
      )
        break;
      j++;
    }
    if (j === i) this.fail(i, 'value expected');
    return j;
  }

  whole(i: number): [unknown, number] {
    const end = this.skip(i);
    return [JSON.parse(this.b.toString('utf8', i, end)), end];
  }

  value(i: number, pick: Pick): [unknown, number] {
    const b = this.b;
    if (pick === true) return this.whole(i);
    if (Array.isArray(pick)) {
      if (b[i] !== OPEN_ARRAY) return this.whole(i);
      const out: unknown[] = [];
      let j = this.ws(i + 1);
      if (b[j] === CLOSE_ARRAY) return [out, j + 1];
      for (;;) {
        const [v, end] = this.value(j, pick[0]);
        out.push(v);
        j = this.ws(end);
        if (b[j] === COMMA) j = this.ws(j + 1);
        else if (b[j] === CLOSE_ARRAY) return [out, j + 1];
        else this.fail(j, "',' or ']' expected");
      }
    }
    if (b[i] !== OPEN_OBJECT) return this.whole(i);
    const members = pick as { readonly [member: string]: Pick };
    const out: Record<string, unknown> = {};
    let j = this.ws(i + 1);
    if (b[j] === CLOSE_OBJECT) return [out, j + 1];
    for (;;) {
      if (b[j] !== QUOTE) this.fail(j, 'member name expected');
      const keyEnd = this.string(j);
      const raw = b.toString('utf8', j + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      j = this.ws(keyEnd);
      if (b[j] !== COLON) this.fail(j, "':' expected");
      j = this.ws(j + 1);
      const sub = Object.prototype.hasOwnProperty.call(members, key) ? members[key] : undefined;
      if (sub === undefined) j = this.skip(j);
      else {
        const [v, end] = this.value(j, sub);
        out[key] = v;
        j = end;
      }
      j = this.ws(j);
      if (b[j] === COMMA) j = this.ws(j + 1);
      else if (b[j] === CLOSE_OBJECT) return [out, j + 1];
      else this.fail(j, "',' or '}' expected");
    }
  }
}

/** The picked members of the JSON document in `bytes` (UTF-8). Throws SyntaxError when it is not JSON. */
export function pickJson(bytes: Buffer, pick: Pick): unknown {
  const s = new Scanner(bytes);
  const start = s.ws(0);
  if (start >= bytes.length) s.fail(start, 'empty document');
  const [value, end] = s.value(start, pick);
  if (s.ws(end) !== bytes.length) s.fail(end, 'unexpected data after the document');
  return value;
}
