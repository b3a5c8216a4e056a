/**
 * Values YAML read as Helm reads it: sigs.k8s.io/yaml, i.e. go-yaml v2's YAML 1.1 resolution
 * followed by a conversion to JSON. The `yaml` package parses (YAML 1.1 syntax, failsafe schema:
 * every scalar stays text) and this module resolves each scalar the way go-yaml v2 does:
 *
 * - booleans: y Y yes Yes YES true True TRUE on On ON, and n N no No NO false False FALSE off Off OFF;
 * - null: empty, ~, null, Null, NULL;
 * - integers as Go's strconv.ParseInt(s, 0, 64) after removing `_`: `0755` is 493 (octal),
 *   `0x1F` 31, `0o17` 15, `0b101` 5; then unsigned 64-bit; then floats (`1e3`, `.5`, `09` is 9);
 * - timestamps (`2001-12-14`) stay strings: go-yaml v2 hands them to an interface{} as text;
 * - `<<` merge keys (a map, an alias, or a list of them; earlier list entries win; keys are
 *   applied in document order, so a key after `<<` overrides the merged one, as in go-yaml v2);
 * - the JSON step: map keys become strings (`true`, `1`), numbers are float64 (JS numbers), and
 *   what JSON cannot hold (.nan, .inf, a null or a collection as a key) is an error, as in Helm.
 *
 * Maps are null-prototype objects: `__proto__`, `constructor` and `prototype` are plain keys.
 * Aliases are expanded as copies with go-yaml v2's "excessive aliasing" bound (a billion-laughs
 * document is refused), and nesting is bounded by MAX_VALUES_DEPTH.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar,
} from 'yaml';
import { ConfigError } from '../errors';
import { MAX_VALUES_DEPTH } from './limits';

export type Values = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A map for values: no prototype, so no key can reach Object.prototype. */
export function newMap(): Values {
  return Object.create(null) as Values;
}

const BOOL_NULL = new Map<string, boolean | null>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
]);
const SPECIAL_FLOATS = new Set([
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) (and ParseUint as a fallback), on text without `_`. */
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let n: bigint;
  if (/^0[oO]/.test(body)) n = BigInt(`0o${body.slice(2)}`);
  else if (/^0[xXbB]/.test(body)) n = BigInt(body.toLowerCase());
  else if (body.length > 1 && body[0] === '0') n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  const fits = (n >= INT64_MIN && n <= INT64_MAX) || (m[1] === '' && n >= 0n && n <= UINT64_MAX);
  if (!fits) return undefined;
  const v = Number(n);
  return v === 0 ? 0 : v;
}

export type Resolved = { tag: 'str' | 'bool' | 'null' | 'int' | 'float'; value: string | number | boolean | null };

/** go-yaml v2's implicit resolution of a plain scalar. */
export function resolvePlain(s: string): Resolved {
  if (BOOL_NULL.has(s)) {
    const v = BOOL_NULL.get(s) as boolean | null;
    return { tag: v === null ? 'null' : 'bool', value: v };
  }
  if (SPECIAL_FLOATS.has(s))
    return {
      tag: 'float',
      value:
        s.includes('nan') || s.includes('NaN') || s.includes('NAN') ? NaN : s.startsWith('-') ? -Infinity : Infinity,
    };
  const c = s[0];
  if (c === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return { tag: 'float', value: Number(s) };
    return { tag: 'str', value: s };
  }
  if ((c >= '0' && c <= '9') || c === '+' || c === '-') {
    const plain = s.replace(/_/g, '');
    const i = goParseInt(plain);
    if (i !== undefined) return { tag: 'int', value: i };
    if (GO_FLOAT.test(plain)) {
      const f = Number(plain);
      return { tag: 'float', value: f === 0 ? 0 : f };
    }
    const neg = plain.startsWith('-0b');
    if (plain.startsWith('0b') || neg) {
      const j = goParseInt(neg ? `-0b${plain.slice(3)}` : plain);
      if (j !== undefined) return { tag: 'int', value: j };
    }
  }
  return { tag: 'str', value: s };
}

const TAG_PREFIX = 'tag:yaml.org,2002:';

interface Ctx {
  doc: Document;
  text: string;
  source: string;
  decodeCount: number;
  aliasCount: number;
  aliasDepth: number;
  expanding: Set<YamlNode>;
}

function fail(ctx: Ctx, node: YamlNode | undefined, reason: string): never {
  const pos = node?.range ? lineCol(ctx, node.range[0]) : '';
  throw new ConfigError(`${ctx.source}: ${reason}${pos}`, ctx.source);
}

function lineCol(ctx: Ctx, offset: number): string {
  const before = ctx.text.slice(0, offset).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

/** go-yaml v2's bound on alias expansion relative to the document's size. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - (0.89 * (decodeCount - 400_000)) / 3_600_000;
}

function count(ctx: Ctx, node: YamlNode): void {
  ctx.decodeCount++;
  if (ctx.aliasDepth > 0) ctx.aliasCount++;
  if (
    ctx.aliasCount > 100 &&
    ctx.decodeCount > 1000 &&
    ctx.aliasCount / ctx.decodeCount > allowedAliasRatio(ctx.decodeCount)
  ) {
    fail(ctx, node, 'the document expands its aliases excessively (a "billion laughs" document?); Helm refuses it too');
  }
}

function scalarValue(ctx: Ctx, node: Scalar): unknown {
  const text = String(node.value ?? '');
  const tag = node.tag;
  const quoted = node.type !== undefined && node.type !== 'PLAIN';
  if (!tag || tag === '!') {
    if (quoted || tag === '!') return text;
    const r = resolvePlain(text);
    if (r.tag === 'float' && !Number.isFinite(r.value as number))
      fail(ctx, node, `${text} cannot be converted to JSON; Helm refuses it too`);
    return r.value;
  }
  if (!tag.startsWith(TAG_PREFIX)) return text; // a local tag: go-yaml keeps the text
  const want = tag.slice(TAG_PREFIX.length);
  switch (want) {
    case 'str':
    case 'timestamp':
      return text;
    case 'binary':
      return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'bool':
    case 'null':
    case 'int':
    case 'float': {
      const r = resolvePlain(text);
      if (r.tag === want || (want === 'float' && r.tag === 'int')) {
        if (typeof r.value === 'number' && !Number.isFinite(r.value))
          fail(ctx, node, `${text} cannot be converted to JSON; Helm refuses it too`);
        return r.value;
      }
      return fail(ctx, node, `cannot decode !!${r.tag} \`${text}\` as a !!${want}`);
    }
    default:
      return text;
  }
}

/** A map key as sigs.k8s.io/yaml turns it into a JSON key. */
function keyString(ctx: Ctx, node: YamlNode, key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') {
    if (Number.isInteger(key)) return String(key);
    // Go formats float keys with float32 precision ('g', -1, 32): the shortest text that round-trips.
    const f = Math.fround(key);
    for (let p = 1; p <= 9; p++) {
      const t = Number(f.toPrecision(p));
      if (Math.fround(t) === f) return String(t);
    }
    return String(f);
  }
  return fail(
    ctx,
    node,
    `a map key must be a string, number or boolean, not ${key === null ? 'null' : 'a collection'} (Helm refuses it too)`,
  );
}

function isMergeKey(node: unknown): boolean {
  if (!isScalar(node) || node.value !== '<<') return false;
  return (!node.tag && node.type === 'PLAIN') || node.tag === `${TAG_PREFIX}merge`;
}

function assignAll(target: Values, from: unknown): void {
  for (const k of Object.keys(from as Values)) target[k] = (from as Values)[k];
}

function merge(ctx: Ctx, node: unknown, target: Values, depth: number): void {
  const wantMap = () => fail(ctx, node as YamlNode, 'a merge key (<<) needs a map or a list of maps');
  const one = (n: unknown) => {
    if (isAlias(n)) {
      const t = n.resolve(ctx.doc);
      if (!isMap(t)) wantMap();
    } else if (!isMap(n)) wantMap();
    assignAll(target, convert(ctx, n as YamlNode, depth + 1));
  };
  if (isSeq(node)) {
    for (let i = node.items.length - 1; i >= 0; i--) one(node.items[i]);
  } else one(node);
}

function convert(ctx: Ctx, node: YamlNode | null | undefined, depth: number): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_VALUES_DEPTH) fail(ctx, node, `maps and lists are nested deeper than ${MAX_VALUES_DEPTH} levels`);
  count(ctx, node);
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target) fail(ctx, node, `alias *${node.source} has no anchor`);
    if (ctx.expanding.has(target)) fail(ctx, node, `alias *${node.source} refers to itself`);
    ctx.expanding.add(target);
    ctx.aliasDepth++;
    try {
      return convert(ctx, target, depth + 1);
    } finally {
      ctx.aliasDepth--;
      ctx.expanding.delete(target);
    }
  }
  if (isScalar(node)) return scalarValue(ctx, node);
  if (isSeq(node)) return node.items.map((item) => convert(ctx, item as YamlNode, depth + 1));
  if (isMap(node)) {
    const out = newMap();
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        merge(ctx, pair.value, out, depth);
        continue;
      }
      const keyNode = pair.key as YamlNode;
      const key = keyString(ctx, keyNode, convert(ctx, keyNode, depth + 1));
      out[key] = convert(ctx, pair.value as YamlNode, depth + 1);
    }
    return out;
  }
  return fail(ctx, node, 'unsupported YAML node');
}

/**
 * Values texts parsed before, by text (the last few, each under 1 MiB): a warm Lambda reads the
 * same values file every run, and parsing it again is most of what its expectation costs (the
 * parser's code is never hot at one run every few minutes). Each caller gets its own copy, since
 * merging and --set change the maps they are given.
 */
const parsed = new Map<string, unknown>();
const PARSED_TEXTS = 4;
const PARSED_TEXT_MAX = 1024 * 1024;

/**
 * Parses values text as Helm does (first document only, as sigs.k8s.io/yaml). Returns null for an
 * empty document. Throws ConfigError naming `source` and the line.
 */
export function parseHelmYaml(text: string, source: string): unknown {
  if (parsed.has(text)) return toValues(parsed.get(text), source);
  const value = parseUncached(text, source);
  if (text.length <= PARSED_TEXT_MAX) {
    if (parsed.size >= PARSED_TEXTS) parsed.delete(parsed.keys().next().value as string);
    parsed.set(text, value);
  }
  return toValues(value, source);
}

/** Where the YAML reader itself runs out of stack (past MAX_VALUES_DEPTH), the message names the limit. */
const LIMIT = ` (the limit is ${MAX_VALUES_DEPTH} levels)`;

function parseUncached(text: string, source: string): unknown {
  let doc: Document;
  try {
    const docs = parseAllDocuments(text, { version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false });
    if (!Array.isArray(docs)) return null; // empty stream
    if (docs.length === 0) return null;
    doc = docs[0] as Document;
  } catch (err) {
    if (err instanceof RangeError)
      throw new ConfigError(`${source}: not valid YAML: nested too deeply to read${LIMIT}`, source, { cause: err });
    throw err;
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    if (/Maximum call stack/.test(e.message))
      throw new ConfigError(`${source}: maps and lists are nested too deeply to read${where}${LIMIT}`, source);
    throw new ConfigError(`${source}: not valid YAML${where}: ${e.message.split('\n')[0]}`, source);
  }
  const ctx: Ctx = {
    doc,
    text,
    source,
    decodeCount: 0,
    aliasCount: 0,
    aliasDepth: 0,
    expanding: new Set(),
  };
  try {
    return convert(ctx, doc.contents as YamlNode | null, 0);
  } catch (err) {
    if (err instanceof RangeError)
      throw new ConfigError(`${source}: maps and lists are nested too deeply to read${LIMIT}`, source, { cause: err });
    throw err;
  }
}

/** Null-prototype deep copy of JSON-like data (JSON.parse output), bounded in depth. */
export function toValues(v: unknown, source: string, depth = 0): unknown {
  if (depth > MAX_VALUES_DEPTH)
    throw new ConfigError(`${source}: maps and lists are nested deeper than ${MAX_VALUES_DEPTH} levels`, source);
  if (Array.isArray(v)) return v.map((x) => toValues(x, source, depth + 1));
  if (v !== null && typeof v === 'object') {
    const out = newMap();
    for (const k of Object.keys(v)) out[k] = toValues((v as Values)[k], source, depth + 1);
    return out;
  }
  return v;
}
