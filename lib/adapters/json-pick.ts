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

/** Ranges up to this long are copied byte by byte, longer ones by Buffer#copy. */
const SHORT_COPY = 32;

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * What a Scanner of a partial document throws where it cannot go on: not an Error (no stack to
 * capture: a stream stops at the end of its bytes at every batch).
 */
const MORE = Symbol('more bytes needed');

class Scanner {
  /** The picked bytes of the value being copied; one buffer for every call (pickJson is synchronous), grown as needed. */
  out = scratch;
  pos = 0;

  /**
   * `base`: where `b` starts in the document (a stream drops what it has read); `partial`: more of
   * it may come, so running out of bytes (or anything else amiss) throws MORE, not a SyntaxError.
   */
  constructor(
    readonly b: Buffer,
    private readonly base = 0,
    private readonly partial = false,
  ) {}

  /**
   * The value at `i` reduced to `pick`, and the index after it. The elements of an array (the
   * items of a list page) are copied and parsed one by one: each parse is of a few hundred bytes,
   * and what it leaves behind is short-lived.
   */
  value(i: number, pick: Compiled): [unknown, number] {
    const b = this.b;
    if (pick !== true && pick.kind === 'array' && b[i] === OPEN_ARRAY) {
      const items: unknown[] = [];
      let j = this.ws(i + 1);
      if (b[j] !== CLOSE_ARRAY)
        for (;;) {
          this.pos = 0;
          j = this.ws(this.copy(j, pick.each));
          items.push(JSON.parse(this.out.toString('utf8', 0, this.pos)));
          if (b[j] === COMMA) j = this.ws(j + 1);
          else if (b[j] === CLOSE_ARRAY) break;
          else this.fail(j, "',' or ']' expected");
        }
      return [items, j + 1];
    }
    if (pick !== true && pick.kind === 'object' && b[i] === OPEN_OBJECT) {
      const out: Record<string, unknown> = {};
      let j = this.ws(i + 1);
      if (b[j] !== CLOSE_OBJECT)
        for (;;) {
          const v = this.memberHeader(pick, j);
          const { keyEnd, sub } = this;
          if (sub === undefined) j = this.skip(v);
          else {
            const [value, end] = this.value(v, sub);
            out[JSON.parse(b.toString('utf8', j, keyEnd)) as string] = value;
            j = end;
          }
          j = this.ws(j);
          if (b[j] === COMMA) j = this.ws(j + 1);
          else if (b[j] === CLOSE_OBJECT) break;
          else this.fail(j, "',' or '}' expected");
        }
      return [out, j + 1];
    }
    this.pos = 0;
    const end = this.copy(i, pick);
    return [JSON.parse(this.out.toString('utf8', 0, this.pos)), end];
  }

  fail(at: number, what: string): never {
    if (this.partial) throw MORE;
    throw new SyntaxError(`JSON: ${what} at byte ${this.base + at} of ${this.base + this.b.length}`);
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

  /**
   * Copies the value at `i`, reduced to `pick`, to the output; returns the index after it in
   * the input. Whitespace is dropped, the picked bytes are copied as they are.
   */
  copy(i: number, pick: Compiled): number {
    const b = this.b;
    if (pick === true || (pick.kind === 'array' ? b[i] !== OPEN_ARRAY : b[i] !== OPEN_OBJECT)) {
      const end = this.skip(i);
      this.putRange(i, end);
      return end;
    }
    if (pick.kind === 'array') {
      this.put(OPEN_ARRAY);
      let j = this.ws(i + 1);
      if (b[j] !== CLOSE_ARRAY)
        for (let first = true; ; first = false) {
          if (!first) this.put(COMMA);
          j = this.ws(this.copy(j, pick.each));
          if (b[j] === COMMA) j = this.ws(j + 1);
          else if (b[j] === CLOSE_ARRAY) break;
          else this.fail(j, "',' or ']' expected");
        }
      this.put(CLOSE_ARRAY);
      return j + 1;
    }
    this.put(OPEN_OBJECT);
    let kept = 0;
    let j = this.ws(i + 1);
    if (b[j] !== CLOSE_OBJECT)
      for (;;) {
        const v = this.memberHeader(pick, j);
        const { keyEnd, sub } = this;
        if (sub === undefined) j = this.skip(v);
        else {
          if (kept++ > 0) this.put(COMMA);
          this.putRange(j, keyEnd);
          this.put(COLON);
          j = this.copy(v, sub);
        }
        j = this.ws(j);
        if (b[j] === COMMA) j = this.ws(j + 1);
        else if (b[j] === CLOSE_OBJECT) break;
        else this.fail(j, "',' or '}' expected");
      }
    this.put(CLOSE_OBJECT);
    return j + 1;
  }

  put(byte: number): void {
    if (this.pos >= this.out.length) this.grow(1);
    this.out[this.pos++] = byte;
  }

  putRange(start: number, end: number): void {
    const n = end - start;
    if (this.pos + n > this.out.length) this.grow(n);
    if (n > SHORT_COPY) this.pos += this.b.copy(this.out, this.pos, start, end);
    else {
      // Names and short values: a loop costs less than Buffer#copy's checks and native call.
      const b = this.b;
      const out = this.out;
      let p = this.pos;
      for (let k = start; k < end; k++) out[p++] = b[k];
      this.pos = p;
    }
  }

  grow(n: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.pos + n));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = scratch = bigger;
  }

  /** Set by memberHeader: the index after the member name's closing quote. */
  keyEnd = 0;
  /** Set by memberHeader: the pick of the member, undefined when it is skipped. */
  sub: Compiled | undefined = undefined;

  /**
   * Reads `"name" :` of an object member starting at `j` (its opening quote): sets keyEnd and sub,
   * and returns where the member's value starts.
   */
  memberHeader(pick: CompiledObject, j: number): number {
    const b = this.b;
    if (b[j] !== QUOTE) this.fail(j, 'member name expected');
    const keyEnd = (this.keyEnd = this.string(j));
    this.sub = this.member(pick, j + 1, keyEnd - 1);
    const v = this.ws(keyEnd);
    if (b[v] !== COLON) this.fail(v, "':' expected");
    return this.ws(v + 1);
  }

  /** The pick of the member whose name is the bytes start..end (without quotes), if it is picked. */
  member(pick: CompiledObject, start: number, end: number): Compiled | undefined {
    const b = this.b;
    const len = end - start;
    next: for (const m of pick.members) {
      const name = m.name;
      if (name.length !== len) continue;
      for (let k = 0; k < len; k++) if (name[k] !== b[start + k]) continue next;
      return m.pick;
    }
    // A name written with escapes (\u0061 for a): decode it and compare the text.
    for (let k = start; k < end; k++)
      if (b[k] === BACKSLASH) {
        const name = JSON.parse(b.toString('utf8', start - 1, end + 1)) as string;
        return pick.members.find((m) => m.text === name)?.pick;
      }
    return undefined;
  }
}

interface CompiledObject {
  kind: 'object';
  members: Array<{ name: Buffer; text: string; pick: Compiled }>;
}
type Compiled = true | CompiledObject | { kind: 'array'; each: Compiled };

const compiled = new WeakMap<object, Compiled>();
function compile(pick: Pick): Compiled {
  if (pick === true) return true;
  let c = compiled.get(pick);
  if (!c) {
    c = Array.isArray(pick)
      ? { kind: 'array', each: compile(pick[0]) }
      : {
          kind: 'object',
          members: Object.entries(pick as { readonly [member: string]: Pick }).map(([text, sub]) => ({
            // The name as it is written on the wire (JSON-escaped, UTF-8).
            name: Buffer.from(JSON.stringify(text).slice(1, -1)),
            text,
            pick: compile(sub),
          })),
        };
    compiled.set(pick, c);
  }
  return c;
}

/** The picked members of the JSON document in `bytes` (UTF-8). Throws SyntaxError when it is not JSON. */
export function pickJson(bytes: Buffer, pick: Pick): unknown {
  const s = new Scanner(bytes);
  const start = s.ws(0);
  if (start >= bytes.length) s.fail(start, 'empty document');
  const [value, end] = s.value(start, compile(pick));
  if (s.ws(end) !== bytes.length) s.fail(end, 'unexpected data after the document');
  return value;
}

/** Bytes of a stream received before its elements are read. */
const BATCH = 128 * 1024;
/**
 * Before the end, elements are read while at least this many bytes are left: an element is rarely
 * cut short (then it is scanned again with more), so a stream seldom stops in the middle of one.
 */
const LOOKAHEAD = 64 * 1024;

/** Receive buffers of the streams of list pages (PickStream, proto-pick's ProtoPickStream), reused. */
const spare: Buffer[] = [];
const RECEIVE_BYTES = 2 * BATCH;

/** A receive buffer for a stream that reads a list page as it arrives: a spare one, else a new one. */
export function takeReceiveBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafe(RECEIVE_BYTES);
}

/** Gives a stream's receive buffer back: at most four are kept, none grown past four times the size. */
export function giveReceiveBuffer(buf: Buffer): void {
  if (buf.length > 0 && buf.length <= 4 * RECEIVE_BYTES && spare.length < 4) spare.push(buf);
}

const enum At {
  Start,
  FirstMember,
  Member,
  AfterMember,
  FirstElement,
  Element,
  AfterElement,
  End,
  /** Not an object: the document is kept whole and picked at the end. */
  Whole,
}

/** An error of the caller's `map`, carried through the scanner's SyntaxError handling. */
class Mapped {
  constructor(readonly error: unknown) {}
}

/**
 * `pickJson` over a document that arrives in chunks (an HTTP response), in memory that does not
 * grow with it: a member of the top-level object whose pick is `[p]` (the `items` of a list page)
 * is read element by element as the bytes arrive, each element picked, parsed, given to `map`
 * (which may reshape it, or return undefined to drop it) and its bytes dropped; the other members
 * are picked once they are complete. `end()` returns what `pickJson` would for the whole
 * document, with the streamed arrays' elements mapped, and throws the same SyntaxError for a
 * truncated or malformed one.
 */
export class PickStream {
  private buf: Buffer;
  private len = 0;
  /** Where reading goes on in `buf`: everything before it is read. */
  private pos = 0;
  /** Bytes of the document dropped from the front of `buf`. */
  private base = 0;
  private at = At.Start;
  private readonly pick: Compiled;
  private readonly out: Record<string, unknown> = {};
  private array: unknown[] = [];
  private each: Compiled = true;
  private done = false;

  constructor(
    private readonly source: Pick,
    private readonly map: (element: unknown) => unknown = (e) => e,
    /** Bytes received before reading on (tests read at every chunk). */
    private readonly batch = BATCH,
    private readonly lookahead = batch === BATCH ? LOOKAHEAD : 0,
  ) {
    this.pick = compile(source);
    this.buf = takeReceiveBuffer();
  }

  push(chunk: Buffer): void {
    if (this.done) throw new Error('PickStream: push after end');
    if (this.len + chunk.length > this.buf.length) {
      if (this.at !== At.Whole && this.pos > 0) {
        this.buf.copy(this.buf, 0, this.pos, this.len);
        this.base += this.pos;
        this.len -= this.pos;
        this.pos = 0;
      }
      if (this.len + chunk.length > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.len + chunk.length));
        this.buf.copy(bigger, 0, 0, this.len);
        this.buf = bigger;
      }
    }
    this.len += chunk.copy(this.buf, this.len);
    if (this.at !== At.Whole && this.len - this.pos >= this.batch) this.read(false);
  }

  /** The picked document; throws SyntaxError when the bytes were not one JSON document. */
  end(): unknown {
    if (this.done) throw new Error('PickStream: end twice');
    this.done = true;
    try {
      if (this.at !== At.Whole) this.read(true);
      if (this.at === At.Whole) return pickJson(this.buf.subarray(0, this.len), this.source);
      if (this.at !== At.End) new Scanner(this.buf.subarray(0, this.len), this.base).fail(this.len, 'unexpected end');
      return this.out;
    } finally {
      this.release();
    }
  }

  /** Gives the receive buffer back (end() does; a caller that gives up calls it). */
  release(): void {
    this.done = true;
    giveReceiveBuffer(this.buf);
    this.buf = Buffer.alloc(0);
    this.len = this.pos = 0;
  }

  /**
   * Reads what is complete of the bytes received. Before the end (`final` false) running out of
   * bytes is not an error: reading stops at the last complete step and goes on from there with
   * more; a value ending at the last byte received waits too (a number may go on).
   */
  private read(final: boolean): void {
    const b = this.buf.subarray(0, this.len);
    const s = new Scanner(b, this.base, !final);
    const n = b.length;
    const pick = this.pick as CompiledObject;
    let j = this.pos;
    try {
      for (;;) {
        j = s.ws(j);
        if (j >= n && this.at !== At.End) break;
        switch (this.at) {
          case At.Start:
            if (b[j] !== OPEN_OBJECT || this.pick === true || this.pick.kind !== 'object') {
              this.at = At.Whole;
              return;
            }
            this.at = At.FirstMember;
            j += 1;
            break;
          case At.FirstMember:
          case At.Member: {
            if (this.at === At.FirstMember && b[j] === CLOSE_OBJECT) {
              this.at = At.End;
              j += 1;
              break;
            }
            const v = s.memberHeader(pick, j);
            const { keyEnd, sub } = s;
            if (v >= n) s.fail(v, 'value expected');
            const name = sub === undefined ? '' : (JSON.parse(b.toString('utf8', j, keyEnd)) as string);
            if (sub !== undefined && sub !== true && sub.kind === 'array' && b[v] === OPEN_ARRAY) {
              this.array = [];
              this.out[name] = this.array;
              this.each = sub.each;
              this.at = At.FirstElement;
              j = v + 1;
              break;
            }
            let end: number;
            if (sub === undefined) end = s.skip(v);
            else {
              const [value, e] = s.value(v, sub);
              if (e >= n && !final) s.fail(e, 'value may go on');
              this.out[name] = value;
              end = e;
            }
            if (end >= n && !final) s.fail(end, 'value may go on');
            this.at = At.AfterMember;
            j = end;
            break;
          }
          case At.AfterMember:
            if (b[j] === COMMA) this.at = At.Member;
            else if (b[j] === CLOSE_OBJECT) this.at = At.End;
            else s.fail(j, "',' or '}' expected");
            j += 1;
            break;
          case At.FirstElement:
          case At.Element: {
            if (!final && n - j < this.lookahead) return;
            if (this.at === At.FirstElement && b[j] === CLOSE_ARRAY) {
              this.at = At.AfterMember;
              j += 1;
              break;
            }
            s.pos = 0;
            const end = s.copy(j, this.each);
            if (end >= n && !final) s.fail(end, 'value may go on');
            const element = JSON.parse(s.out.toString('utf8', 0, s.pos)) as unknown;
            let mapped: unknown;
            try {
              mapped = this.map(element);
            } catch (err) {
              throw new Mapped(err);
            }
            if (mapped !== undefined) this.array.push(mapped);
            this.at = At.AfterElement;
            j = end;
            break;
          }
          case At.AfterElement:
            if (b[j] === COMMA) this.at = At.Element;
            else if (b[j] === CLOSE_ARRAY) this.at = At.AfterMember;
            else s.fail(j, "',' or ']' expected");
            j += 1;
            break;
          case At.End:
            if (j < n) s.fail(j, 'unexpected data after the document');
            this.pos = j;
            return;
          default:
            return;
        }
        this.pos = j;
      }
    } catch (err) {
      if (err instanceof Mapped) throw err.error;
      // Before the end, a step that runs out of bytes waits for more (a real syntax error is
      // found again, and thrown, at the end). JSON.parse of a number cut short throws SyntaxError.
      if (final || (err !== MORE && !(err instanceof SyntaxError))) throw err;
    }
  }
}
