import fc from 'fast-check';
import { pickJson, type Pick } from '../../../lib/adapters/json-pick';
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
