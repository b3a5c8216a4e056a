import fc from 'fast-check';
import { pickJson, PickStream, type Pick } from '../../../lib/adapters/json-pick';
import { largeNode, largeNodeExporterPod, largeNodeName } from '../../support/factories/k8s-large';

/** What pickJson must equal: JSON.parse, then keep the picked members. */
function reference(value: unknown, pick: Pick): unknown {
  if (pick === true) return value;
  if (Array.isArray(pick)) return Array.isArray(value) ? value.map((v) => reference(v, pick[0])) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(pick as Record<string, Pick>))
    if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = reference((value as Record<string, unknown>)[k], sub);
  return out;
}

const pickArb: fc.Arbitrary<Pick> = fc.letrec<{ pick: Pick }>((tie) => ({
  pick: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(true as const),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('pick'), { maxKeys: 4 }),
    tie('pick').map((p) => [p] as const),
  ),
})).pick;

describe('pickJson: reading some members of a JSON document', () => {
  it('equals JSON.parse followed by keeping the picked members, for any document and pick', () => {
    fc.assert(
      fc.property(fc.jsonValue(), pickArb, fc.boolean(), (value, pick, pretty) => {
        const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expect(pickJson(Buffer.from(text), pick)).toEqual(reference(JSON.parse(text), pick));
      }),
      { numRuns: 500 },
    );
  });

  it('reads names with escapes, strings with quotes and brackets, and UTF-8 as JSON.parse does', () => {
    const doc = {
      'a\\"b': { x: 1 },
      skipped: ['"]}', '\\', { '{': '}' }],
      kept: 'üñí "quoted" \\ 한국어',
      items: [{ metadata: { name: 'n', annotations: { json: '{"k":"v"}' } } }],
    };
    const bytes = Buffer.from(JSON.stringify(doc));
    expect(pickJson(bytes, { 'a\\"b': true, kept: true, items: [{ metadata: { name: true } }] })).toEqual({
      'a\\"b': { x: 1 },
      kept: doc.kept,
      items: [{ metadata: { name: 'n' } }],
    });
  });

  it('keeps of a real-size Node and Pod exactly the members the collector reads', () => {
    const node = largeNode(7);
    const pod = largeNodeExporterPod(7, largeNodeName(7));
    const picked = pickJson(Buffer.from(JSON.stringify({ items: [node, pod] })), {
      items: [{ metadata: { name: true, labels: true }, status: { conditions: true, phase: true } }],
    });
    expect(picked).toEqual({
      items: [
        {
          metadata: { name: node.metadata.name, labels: node.metadata.labels },
          status: { conditions: node.status.conditions },
        },
        {
          metadata: { name: pod.metadata.name, labels: pod.metadata.labels },
          status: { conditions: pod.status.conditions, phase: 'Running' },
        },
      ],
    });
  });

  it('rejects a truncated or malformed document with a SyntaxError, as JSON.parse does', () => {
    const pick: Pick = { items: [{ metadata: true }] };
    for (const text of ['{"kind":"List","items":[{', '{"items":[{"spec":{"a":"b}}]}', '', '{"items":[] x', '{"a" 1}'])
      expect(() => pickJson(Buffer.from(text), pick)).toThrow(SyntaxError);
  });
});

/** The document through a PickStream in the chunks that `cuts` (offsets) make of it. */
function streamed(bytes: Buffer, pick: Pick, cuts: number[], map?: (e: unknown) => unknown, batch = 1): unknown {
  // batch 1: read on at every chunk, so that every cut is a place where reading stops and resumes.
  const s = new PickStream(pick, map, batch);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    s.push(bytes.subarray(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  s.push(bytes.subarray(from));
  return s.end();
}

describe('PickStream: pickJson over a document that arrives in chunks', () => {
  it('equals pickJson for any document, pick and cut into chunks anywhere', () => {
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue()),
      fc.record({ metadata: fc.jsonValue(), items: fc.array(fc.jsonValue(), { maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(doc, pickArb, fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (value, pick, pretty, cuts) => {
        const bytes = Buffer.from(pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value));
        const at = cuts.map((c) => c % (bytes.length + 1));
        expect(streamed(bytes, pick, at)).toEqual(pickJson(bytes, pick));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a list page of real-size Nodes cut at every byte of an item, mapping each item as it is read', () => {
    const nodes = [largeNode(1), largeNode(2), largeNode(3)];
    const page = Buffer.from(
      JSON.stringify({
        kind: 'NodeList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '12', continue: 'abc' },
        items: nodes,
      }),
    );
    const pick: Pick = {
      metadata: true,
      items: [{ metadata: { name: true }, status: { nodeInfo: { bootID: true } } }],
    };
    const want = {
      metadata: { resourceVersion: '12', continue: 'abc' },
      items: nodes.map((n) => n.metadata.name),
    };
    const map = (e: unknown) => (e as { metadata: { name: string } }).metadata.name;
    const first = page.indexOf('"items"');
    for (let cut = first - 40; cut < first + 9000; cut += 1) expect(streamed(page, pick, [cut], map)).toEqual(want);
    // Chunks of 16 KB (a TLS record), and of one byte.
    const every = (k: number) => Array.from({ length: Math.floor(page.length / k) }, (_, i) => (i + 1) * k);
    expect(streamed(page, pick, every(16 * 1024), map)).toEqual(want);
    expect(streamed(page, pick, every(16 * 1024), map, 128 * 1024)).toEqual(want);
    expect(streamed(page, pick, every(1), map)).toEqual(want);
  });

  it('keeps memory flat: a page of 3 000 real-size Pods is read in a buffer of a few hundred KB', () => {
    const pods = Array.from({ length: 3000 }, (_, i) => largeNodeExporterPod(i, largeNodeName(i)));
    const page = Buffer.from(JSON.stringify({ kind: 'PodList', metadata: {}, items: pods }));
    const s = new PickStream(
      { items: [{ spec: { nodeName: true } }] },
      (p) => (p as { spec: { nodeName: string } }).spec.nodeName,
    );
    for (let i = 0; i < page.length; i += 16 * 1024) s.push(page.subarray(i, i + 16 * 1024));
    expect((s as unknown as { buf: Buffer }).buf.length).toBeLessThanOrEqual(512 * 1024);
    expect(s.end()).toEqual({ items: pods.map((p) => p.spec.nodeName) });
  });

  it('drops the elements map returns undefined for, and throws what map throws', () => {
    const bytes = Buffer.from(JSON.stringify({ items: [1, 2, 3, 4] }));
    expect(streamed(bytes, { items: [true] }, [5, 11], (e) => ((e as number) % 2 ? undefined : e))).toEqual({
      items: [2, 4],
    });
    const boom = new Error('boom');
    expect(() =>
      streamed(bytes, { items: [true] }, [], () => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('rejects a truncated or malformed document with a SyntaxError at the end, wherever it is cut', () => {
    const pick: Pick = { metadata: true, items: [{ metadata: true }] };
    const good = JSON.stringify({
      metadata: { continue: 'x', n: 12 },
      items: [{ metadata: { a: 1 } }, { metadata: 2 }],
    });
    for (let len = 0; len < good.length; len++)
      expect(() => streamed(Buffer.from(good.slice(0, len)), pick, [len >> 1])).toThrow(SyntaxError);
    for (const text of [
      '{"kind":"List","items":[{',
      '{"items":[{"spec":{"a":"b}}]}',
      '{"items":[] x',
      '{"a" 1}',
      '{"items":[1 2]}',
    ])
      expect(() => streamed(Buffer.from(text), pick, [3])).toThrow(SyntaxError);
  });
});
