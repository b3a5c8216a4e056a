/**
 * Reads some members of a Kubernetes list page sent in the API server's protobuf encoding
 * (`Accept: application/vnd.kubernetes.protobuf`, which the API server offers for its built-in
 * types and client-go's own components use), without decoding the rest.
 *
 * The encoding (k8s.io/apimachinery pkg/runtime/serializer/protobuf): the 4 bytes `k8s\0`, then a
 * `runtime.Unknown` message (typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4) whose
 * `raw` is the list (`PodList`, `NodeList`: metadata = 1, items = 2), each message as the Go types'
 * generated.proto says. Every member of a message is length-delimited, so what the checks do not
 * read (managedFields, images, container specs and statuses: most of a Node's or a Pod's bytes) is
 * skipped by its length without looking at its bytes; a JSON page must be scanned to the end of
 * every string to do the same (lib/adapters/json-pick.ts). The schemas below name only the
 * members the collector can pick, with their field numbers from k8s.io/api core/v1 and
 * k8s.io/apimachinery meta/v1 `generated.proto`; members a schema does not know are skipped.
 *
 * What is picked comes out in the shape `JSON.parse` of the JSON encoding gives (so the checks see
 * one shape whichever encoding the server chose): a Go string or bool the JSON encoding leaves out
 * when empty (`omitempty`) is left out when the protobuf one carries it empty, `metav1.Time` is an
 * RFC 3339 string in UTC to the second (the JSON encoding's precision) or null for the zero time,
 * and `map<string,string>` is an object.
 */
import { giveReceiveBuffer, takeReceiveBuffer, type Pick } from './json-pick';

/** The bytes every protobuf-encoded Kubernetes object starts with. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

type FieldType = 'string' | 'bool' | 'int' | 'time' | 'map' | 'message';

interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
  /** The JSON encoding leaves it out when empty ("", false, 0). */
  readonly omitEmpty?: boolean;
  readonly message?: Schema;
  /**
   * A repeated message: only the elements whose string member 1 is this (NodeCondition `type`),
   * the others skipped by their length. Go writes members in field order, so member 1 comes first
   * and the rest of an element is not looked at.
   */
  readonly onlyType?: string;
}

/** A message: its known members by field number. */
export interface Schema {
  readonly name: string;
  readonly fields: ReadonlyMap<number, Field>;
}

function schema(name: string, fields: Record<number, Field>): Schema {
  return { name, fields: new Map(Object.entries(fields).map(([k, v]) => [Number(k), v])) };
}

const str = (name: string, omitEmpty = true): Field => ({ name, type: 'string', omitEmpty });

// k8s.io/apimachinery pkg/apis/meta/v1/generated.proto
const OwnerReference = schema('OwnerReference', {
  5: str('apiVersion', false),
  1: str('kind', false),
  3: str('name', false),
  4: str('uid', false),
  // *bool in Go: present in either encoding only when set
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
});
const ObjectMeta = schema('ObjectMeta', {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  5: str('uid'),
  6: str('resourceVersion'),
  7: { name: 'generation', type: 'int', omitEmpty: true },
  8: { name: 'creationTimestamp', type: 'time' },
  11: { name: 'labels', type: 'map' },
  12: { name: 'annotations', type: 'map' },
  13: { name: 'ownerReferences', type: 'message', repeated: true, message: OwnerReference },
});
const ListMeta = schema('ListMeta', {
  2: str('resourceVersion'),
  3: str('continue'),
  4: { name: 'remainingItemCount', type: 'int' },
});

// k8s.io/api core/v1/generated.proto
const PodCondition = schema('PodCondition', {
  1: str('type', false),
  7: { name: 'observedGeneration', type: 'int', omitEmpty: true },
  2: str('status', false),
  3: { name: 'lastProbeTime', type: 'time' },
  4: { name: 'lastTransitionTime', type: 'time' },
  5: str('reason'),
  6: str('message'),
});
const PodSpec = schema('PodSpec', { 10: str('nodeName') });
const PodStatus = schema('PodStatus', {
  1: str('phase'),
  2: { name: 'conditions', type: 'message', repeated: true, message: PodCondition },
  5: str('hostIP'),
  6: str('podIP'),
  7: { name: 'startTime', type: 'time' },
});
export const POD: Schema = schema('Pod', {
  1: { name: 'metadata', type: 'message', message: ObjectMeta },
  2: { name: 'spec', type: 'message', message: PodSpec },
  3: { name: 'status', type: 'message', message: PodStatus },
});

const Taint = schema('Taint', {
  1: str('key', false),
  2: str('value'),
  3: str('effect', false),
  4: { name: 'timeAdded', type: 'time' },
});
const NodeSpec = schema('NodeSpec', {
  3: str('providerID'),
  4: { name: 'unschedulable', type: 'bool', omitEmpty: true },
  5: { name: 'taints', type: 'message', repeated: true, message: Taint },
});
const NodeCondition = schema('NodeCondition', {
  1: str('type', false),
  2: str('status', false),
  3: { name: 'lastHeartbeatTime', type: 'time' },
  4: { name: 'lastTransitionTime', type: 'time' },
  5: str('reason'),
  6: str('message'),
});
const NodeStatus = schema('NodeStatus', {
  3: str('phase'),
  4: { name: 'conditions', type: 'message', repeated: true, message: NodeCondition },
});
export const NODE: Schema = schema('Node', {
  1: { name: 'metadata', type: 'message', message: ObjectMeta },
  2: { name: 'spec', type: 'message', message: NodeSpec },
  3: { name: 'status', type: 'message', message: NodeStatus },
});
/**
 * A Node with only its `Ready` condition (what the checks read): the other conditions (memory,
 * disk and PID pressure, network) are most of what is picked of a node, and are skipped.
 */
export const NODE_READY: Schema = schema('Node', {
  ...Object.fromEntries(NODE.fields),
  3: {
    name: 'status',
    type: 'message',
    message: schema('NodeStatus', {
      ...Object.fromEntries(NodeStatus.fields),
      4: { name: 'conditions', type: 'message', repeated: true, message: NodeCondition, onlyType: 'Ready' },
    }),
  },
});

/** A malformed or cut-short protobuf answer. */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** Thrown where a read needs bytes that have not arrived yet (not an Error: no stack to capture). */
const MORE = Symbol('more');

/** No message bound (the envelope's members): only the bytes received so far end a read there. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Reads protobuf primitives from a buffer; every read checks it stays before `end`, the end of the
 * message it is in: going past it is a malformed answer whether or not its bytes are all in.
 * Running out of the buffer's bytes before `end` is a cut-short answer, or for a `partial` reader
 * (a page arriving) a wait for more. `lengthEnd` and the fixed-size skips leave the reader past
 * the buffer when `end` lies past it: the caller checks.
 */
class Reader {
  pos = 0;
  constructor(
    readonly b: Buffer,
    /** Running out of bytes before it means: wait for more (streaming) rather than an error. */
    readonly partial = false,
  ) {}

  past(): never {
    throw new ProtobufError('a protobuf value goes past the end of the message around it');
  }

  short(): never {
    if (this.partial) throw MORE;
    throw new ProtobufError('the protobuf answer ends in the middle of a value');
  }

  /** A varint as a number (exact up to 2^53; the API's int64s are counts, sizes and seconds). */
  varint(end: number): number {
    const b = this.b;
    let p = this.pos;
    let lo = 0;
    let shift = 0;
    for (; shift < 28; shift += 7) {
      if (p >= end) return this.past();
      if (p >= b.length) return this.short();
      const x = b[p++];
      lo |= (x & 0x7f) << shift;
      if (x < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
    }
    // Beyond 28 bits (a time's seconds): go on in floating point, exact to 2^53.
    let v = lo >>> 0;
    let mul = 2 ** 28;
    for (let i = 0; i < 6; i++) {
      if (p >= end) return this.past();
      if (p >= b.length) return this.short();
      const x = b[p++];
      v += (x & 0x7f) * mul;
      mul *= 128;
      if (x < 0x80) {
        if (i < 5) {
          this.pos = p;
          return v;
        }
        // 10 bytes: a negative int64 (two's complement), exactly.
        let big = 0n;
        for (let k = p - 1; k >= this.pos; k--) big = (big << 7n) | BigInt(b[k] & 0x7f);
        this.pos = p;
        return Number(BigInt.asIntN(64, big));
      }
    }
    throw new ProtobufError('a protobuf varint is longer than 10 bytes');
  }

  /** A member's tag (field number << 3 | wire type); field number 0 is not one (Go refuses it too). */
  tag(end: number): number {
    const t = this.varint(end);
    if (t < 8) throw new ProtobufError('a protobuf member has the field number 0');
    return t;
  }

  /** The end of a length-delimited value that starts here (after its length). */
  lengthEnd(end: number): number {
    const n = this.varint(end);
    const e = this.pos + n;
    if (e > end) this.past();
    return e;
  }

  skip(wire: number, end: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint(end);
        return;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        throw new ProtobufError(`protobuf wire type ${wire} is not one the Kubernetes API uses`);
    }
    if (this.pos > end) this.past();
  }
}

/** Times already formatted: a list's objects share most of theirs (created, started, probed together). */
const times = new Map<number, string>();

/** `metav1.Time` as its JSON encoding writes it: RFC 3339 in UTC to the second. */
function timeString(seconds: number): string {
  let t = times.get(seconds);
  if (t === undefined) {
    const ms = seconds * 1000;
    // Beyond a Date's ±8.64e15 ms (±273 790 years) toISOString would throw a RangeError.
    if (!(Math.abs(ms) <= 8.64e15)) throw new ProtobufError(`a protobuf time is out of range (${seconds} s)`);
    const iso = new Date(ms).toISOString();
    // Years 0000–9999 (RFC 3339's): `YYYY-MM-DDTHH:MM:SS.sssZ` without the milliseconds.
    t = iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
    if (times.size >= 4096) times.clear();
    times.set(seconds, t);
  }
  return t;
}

type Slices = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/**
 * Short ASCII strings made before, in slots by their length and a few of their bytes. What is read
 * repeats from item to item (label keys and most values, condition types, statuses, reasons and
 * messages, owner references, namespaces): at 5 000 nodes that is several hundred thousand strings,
 * nearly all equal to one read just before. A string whose bytes all match its slot's is that
 * string, with no new allocation for the collector to copy and mark; another one takes the slot.
 * The slot is chosen from 4 bytes, not all: a repeated string costs one pass over its bytes (the
 * comparison), a new one two (the ASCII check, the copy). At most TEXT_SLOTS strings of at most 64
 * characters are held.
 */
const TEXT_SLOTS = 8192;
const textSlots: Array<string | undefined> = new Array<string | undefined>(TEXT_SLOTS).fill(undefined);

function textSlot(b: Buffer, start: number, n: number): number {
  if (n === 0) return 0;
  const h =
    Math.imul(n, 0x9e3779b1) ^
    (b[start] << 5) ^
    (b[start + n - 1] << 11) ^
    (b[start + (n >> 1)] << 17) ^
    (b[start + (n >> 2)] << 2);
  return (h ^ (h >>> 13)) & (TEXT_SLOTS - 1);
}

/**
 * The UTF-8 string of `b[start, end)`. Most of what is read (names, label keys and values,
 * condition words) is short ASCII: most often a string already made (textSlots), else read as
 * Latin-1 without UTF-8 decoding.
 */
function text(b: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n > 64) return (b as Slices).utf8Slice(start, end);
  const slot = textSlot(b, start, n);
  const known = textSlots[slot];
  if (known !== undefined && known.length === n) {
    // Slots hold ASCII only: equal char codes are equal bytes.
    let k = 0;
    while (k < n && known.charCodeAt(k) === b[start + k]) k++;
    if (k === n) return known;
  }
  for (let i = start; i < end; i++) if (b[i] >= 0x80) return (b as Slices).utf8Slice(start, end);
  const made = (b as Slices).latin1Slice(start, end);
  textSlots[slot] = made;
  return made;
}

/** A `metav1.Time` message: the zero time is written as an empty message. */
function readTime(r: Reader, end: number): string | null {
  if (r.pos === end) return null;
  let seconds = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_VARINT) seconds = r.varint(end);
    else r.skip(tag & 7, end);
  }
  return timeString(seconds);
}

function readMapEntry(r: Reader, end: number, into: Record<string, string>): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.tag(end);
    const f = tag >>> 3;
    if ((tag & 7) === WIRE_LEN && (f === 1 || f === 2)) {
      const e = r.lengthEnd(end);
      const s = text(r.b, r.pos, e);
      r.pos = e;
      if (f === 1) key = s;
      else value = s;
    } else r.skip(tag & 7, end);
  }
  // As JSON.parse makes it: an own member, even one named __proto__.
  if (key === '__proto__')
    Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}

/**
 * Whether the message from `r.pos` to `end` starts with a string member 1 other than `type` (read
 * in place, nothing made); false when it starts with anything else (then it is read whole and
 * judged by its `type`). The reader is left where it was.
 */
function leadsWithOther(r: Reader, end: number, type: string): boolean {
  if (r.pos >= end) return false;
  const at = r.pos;
  try {
    if (r.tag(end) !== ((1 << 3) | WIRE_LEN)) return false;
    const e = r.lengthEnd(end);
    if (e - r.pos !== type.length) return true;
    for (let k = 0; k < type.length; k++) if (r.b[r.pos + k] !== type.charCodeAt(k)) return true;
    return false;
  } finally {
    r.pos = at;
  }
}

function isEmpty(v: unknown): boolean {
  return v === '' || v === false || v === 0;
}

/**
 * The picked members of the message in `r.b` from `r.pos` to `end`: a pick of `true` reads every
 * member the schema knows; an object pick those it names.
 */
function readMessage(r: Reader, end: number, s: Schema, pick: Pick): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const named = pick === true ? undefined : (pick as { readonly [member: string]: Pick });
  while (r.pos < end) {
    const tag = r.tag(end);
    const wire = tag & 7;
    const field = s.fields.get(tag >>> 3);
    const sub = field && (named ? named[field.name] : true);
    if (!field || sub === undefined) {
      r.skip(wire, end);
      continue;
    }
    let value: unknown;
    if (field.type === 'int' || field.type === 'bool') {
      if (wire !== WIRE_VARINT) throw new ProtobufError(`${s.name}.${field.name}: a varint was expected`);
      const n = r.varint(end);
      value = field.type === 'bool' ? n !== 0 : n;
    } else {
      if (wire !== WIRE_LEN) throw new ProtobufError(`${s.name}.${field.name}: a length-delimited value was expected`);
      const e = r.lengthEnd(end);
      if (field.type === 'string') value = text(r.b, r.pos, e);
      else if (field.type === 'time') value = readTime(r, e);
      else if (field.type === 'map') {
        const m = (out[field.name] as Record<string, string> | undefined) ?? {};
        readMapEntry(r, e, m);
        out[field.name] = m;
        r.pos = e;
        continue;
      } else {
        if (field.onlyType !== undefined && leadsWithOther(r, e, field.onlyType)) {
          r.pos = e;
          continue;
        }
        const inner = Array.isArray(sub) ? (sub[0] as Pick) : sub;
        value = readMessage(r, e, field.message!, inner === undefined ? true : inner);
        if (field.onlyType !== undefined && (value as { type?: unknown }).type !== field.onlyType) {
          r.pos = e;
          continue;
        }
      }
      r.pos = e;
    }
    if (field.repeated) {
      const list = (out[field.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[field.name] = list;
    } else if (!(field.omitEmpty && isEmpty(value))) out[field.name] = value;
    else delete out[field.name];
  }
  return out;
}

/** The picked members of one protobuf-encoded message (no envelope); for tests and small answers. */
export function pickMessage(bytes: Buffer, s: Schema, pick: Pick): Record<string, unknown> {
  const r = new Reader(bytes);
  return readMessage(r, bytes.length, s, pick);
}

const enum At {
  Magic,
  Envelope,
  List,
}

/**
 * A protobuf list page (envelope included) read as it arrives, as json-pick's PickStream reads a
 * JSON one: each item is read once its bytes are in, picked by the item pick of `pick` (`{ items:
 * [p] }`; `metadata` is the list's ListMeta), given to `map` (undefined drops it) and its bytes
 * dropped, so memory holds one item, not the page. `end()` returns `{ metadata, items }` and throws
 * ProtobufError for a malformed or cut-short page.
 */
export class ProtoPickStream {
  /**
   * The receive buffer, reused across chunks and streams: bytes before `start` are read, bytes
   * from `start` to `stop` wait (the item being received). A buffer per chunk (or a concatenation
   * per chunk) is garbage the size of the whole answer outside the V8 heap, which the collector
   * frees late: at 5 000 nodes that was 70 MB more peak RSS.
   */
  private buf: Buffer;
  private start = 0;
  private stop = 0;
  /** Bytes from `start` that must be in before reading on is worth it (the item being received). */
  private waitFor = 0;
  private at = At.Magic;
  /** Bytes of the `raw` list still to come after `start` (in the List state). */
  private listLeft = 0;
  private kind = '';
  private listSeen = false;
  private readonly metadata: Record<string, unknown> = {};
  private readonly items: unknown[] = [];
  private readonly itemPick: Pick;
  private done = false;

  constructor(
    private readonly item: Schema,
    pick: Pick,
    private readonly map: (element: unknown) => unknown = (e) => e,
  ) {
    const each = pick !== true && !Array.isArray(pick) ? (pick as Record<string, Pick>).items : undefined;
    this.itemPick = Array.isArray(each) ? (each[0] as Pick) : true;
    this.buf = takeReceiveBuffer();
  }

  push(chunk: Buffer): void {
    if (this.done) throw new Error('ProtoPickStream: push after end');
    if (this.stop + chunk.length > this.buf.length) {
      // Move what waits to the front; grow only for an item bigger than the buffer.
      const waiting = this.stop - this.start;
      const target =
        waiting + chunk.length > this.buf.length
          ? Buffer.allocUnsafe(Math.max(2 * this.buf.length, waiting + chunk.length))
          : this.buf;
      this.buf.copy(target, 0, this.start, this.stop);
      this.buf = target;
      this.start = 0;
      this.stop = waiting;
    }
    this.stop += chunk.copy(this.buf, this.stop);
    if (this.stop - this.start < this.waitFor) return;
    this.read(false);
  }

  end(): { metadata: Record<string, unknown>; items: unknown[] } {
    if (this.done) throw new Error('ProtoPickStream: end twice');
    this.done = true;
    try {
      this.read(true);
      if (this.at !== At.Envelope || !this.listSeen)
        throw new ProtobufError('the protobuf answer ends before its list does');
    } finally {
      this.release();
    }
    return { metadata: this.metadata, items: this.items };
  }

  /** Gives the receive buffer back (end() does; a caller that gives up calls it). */
  release(): void {
    this.done = true;
    giveReceiveBuffer(this.buf);
    this.buf = Buffer.alloc(0);
    this.start = this.stop = 0;
  }

  private read(final: boolean): void {
    const b = this.buf.subarray(this.start, this.stop);
    const r = new Reader(b, !final);
    // A member whose bytes are all in is read by one that cannot wait for more: a member broken
    // inside (a length or varint past its end) is an error now, not a wait holding the rest.
    const whole = new Reader(b);
    const inWhole = <T>(read: (w: Reader) => T): T => {
      whole.pos = r.pos;
      return read(whole);
    };
    let kept = 0;
    try {
      for (;;) {
        if (this.at === At.Magic) {
          if (b.length < 4) return r.short();
          if (!b.subarray(0, 4).equals(PROTOBUF_MAGIC))
            throw new ProtobufError('the answer is not a Kubernetes protobuf object (no k8s\\0 prefix)');
          r.pos = kept = 4;
          this.at = At.Envelope;
        }
        if (this.at === At.Envelope) {
          if (r.pos >= b.length) {
            if (final && !this.kind) throw new ProtobufError('the protobuf answer holds no object');
            return;
          }
          const tag = r.tag(UNBOUNDED);
          const f = tag >>> 3;
          if (f === 2 && (tag & 7) === WIRE_LEN) {
            // raw: the list itself, read item by item
            this.listLeft = r.varint(UNBOUNDED);
            kept = r.pos;
            this.at = At.List;
            this.listSeen = true;
          } else if (f === 1 && (tag & 7) === WIRE_LEN) {
            const e = r.lengthEnd(UNBOUNDED);
            if (e > b.length) return r.short();
            const type = inWhole((w) => readMessage(w, e, RUNTIME_TYPE_META, true));
            this.kind = String(type.kind ?? '');
            if (!this.kind.endsWith('List'))
              throw new ProtobufError(`the protobuf answer is a ${this.kind || 'object without a kind'}, not a list`);
            r.pos = kept = e;
          } else if (f === 3 && (tag & 7) === WIRE_LEN) {
            const e = r.lengthEnd(UNBOUNDED);
            if (e > b.length) return r.short();
            if (e > r.pos)
              throw new ProtobufError(
                `the protobuf answer is encoded (${b.toString('utf8', r.pos, e)}), which is not supported`,
              );
            r.pos = kept = e;
          } else {
            r.skip(tag & 7, UNBOUNDED);
            if (r.pos > b.length) return r.short();
            kept = r.pos;
          }
          continue;
        }
        if (this.at === At.List) {
          if (this.listLeft === 0) {
            this.at = At.Envelope;
            continue;
          }
          const listEnd = r.pos + this.listLeft;
          if (r.pos >= b.length) return final ? r.short() : undefined;
          const start = r.pos;
          const tag = r.tag(listEnd);
          const f = tag >>> 3;
          if (f === 2 && (tag & 7) === WIRE_LEN) {
            const e = r.lengthEnd(listEnd);
            if (e > b.length) {
              // The item is not all in yet: wait for its end (no throw: this is every chunk's end).
              this.waitFor = e;
              return final ? r.short() : undefined;
            }
            const o = inWhole((w) => readMessage(w, e, this.item, this.itemPick));
            r.pos = e;
            const mapped = this.map(o);
            if (mapped !== undefined) this.items.push(mapped);
          } else if (f === 1 && (tag & 7) === WIRE_LEN) {
            const e = r.lengthEnd(listEnd);
            if (e > b.length) {
              this.waitFor = e;
              return final ? r.short() : undefined;
            }
            Object.assign(
              this.metadata,
              inWhole((w) => readMessage(w, e, ListMeta, true)),
            );
            r.pos = e;
          } else {
            r.skip(tag & 7, listEnd);
            if (r.pos > b.length) return r.short();
          }
          this.listLeft -= r.pos - start;
          kept = r.pos;
          if (this.listLeft < 0) throw new ProtobufError('a protobuf list item goes past the end of the list');
          continue;
        }
        return;
      }
    } catch (err) {
      if (err !== MORE) throw err;
      if (final) throw new ProtobufError('the protobuf answer ends in the middle of a value');
    } finally {
      // What is read is dropped; the rest waits for more bytes.
      if (kept > 0) {
        this.start += kept;
        this.waitFor = Math.max(0, this.waitFor - kept);
      }
    }
  }
}

// k8s.io/apimachinery pkg/runtime/generated.proto: runtime.TypeMeta (not meta/v1's: apiVersion is 1)
const RUNTIME_TYPE_META = schema('TypeMeta', { 1: str('apiVersion'), 2: str('kind') });

const STATUS = schema('Status', {
  2: str('status'),
  3: str('message'),
  4: str('reason'),
  6: { name: 'code', type: 'int' },
});

/**
 * A `Status` the API server sent in protobuf (its error answers are in the encoding the request
 * asked for), as its JSON encoding reads; undefined when the bytes are not one.
 */
export function protobufStatus(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    if (bytes.length < 4 || !bytes.subarray(0, 4).equals(PROTOBUF_MAGIC)) return undefined;
    const r = new Reader(bytes);
    r.pos = 4;
    let kind = '';
    let raw: Buffer | undefined;
    while (r.pos < bytes.length) {
      const tag = r.tag(bytes.length);
      if ((tag & 7) === WIRE_LEN && (tag >>> 3 === 1 || tag >>> 3 === 2)) {
        const e = r.lengthEnd(bytes.length);
        if (tag >>> 3 === 1) kind = String(readMessage(r, e, RUNTIME_TYPE_META, true).kind ?? '');
        else raw = bytes.subarray(r.pos, e);
        r.pos = e;
      } else r.skip(tag & 7, bytes.length);
    }
    if (kind !== 'Status' || !raw) return undefined;
    return { kind: 'Status', apiVersion: 'v1', ...pickMessage(raw, STATUS, true) };
  } catch {
    return undefined;
  }
}
