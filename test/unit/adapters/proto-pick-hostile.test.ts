/**
 * proto-pick against what a real API server or a network can send: every chunk boundary, values at
 * the edges of their encoding, unknown members of every wire type, broken and cut-short bodies,
 * and how many bytes the stream holds while a page goes through it.
 */
import {
  NODE,
  POD,
  PROTOBUF_MAGIC,
  ProtobufError,
  ProtoPickStream,
  pickMessage,
  protobufStatus,
} from '../../../lib/adapters/proto-pick';
import type { Pick } from '../../../lib/adapters/json-pick';
import { entry, f32, f64, len, s, tag, v, varint } from '../../support/protobuf-writer';

const seconds = (field: number, secs: number | bigint, extra: number[] = []) =>
  len(field, [...v(1, secs), ...v(2, 999_999_999), ...extra]);
/** Unknown members of every wire type the reader must step over, under field numbers no schema names. */
const unknown = (base: number) => [
  ...v(base, -1),
  ...f32(base + 1),
  ...f64(base + 2),
  ...len(base + 3, [...s(1, 'nested'), ...f64(2), ...f32(3)]),
  ...v(base + 4, 2n ** 63n - 1n),
];
const envelope = (kind: string, raw: number[], extra: number[] = []) =>
  Buffer.from([
    ...PROTOBUF_MAGIC,
    ...len(1, [...s(1, 'v1'), ...s(2, kind)]),
    ...len(2, raw),
    ...s(3, ''),
    ...s(4, 'application/vnd.kubernetes.protobuf'),
    ...extra,
  ]);

const LONG = 'ü'.repeat(40) + 'x'.repeat(100); // > 64 bytes, non-ASCII
const POD_PICK: Pick = {
  metadata: { name: true, namespace: true, labels: true, ownerReferences: true },
  spec: { nodeName: true },
  status: { phase: true, conditions: true, podIP: true, startTime: true },
};

/** A pod with edge values and unknown members of every wire type at every level. */
function pod(i: number): number[] {
  return [
    ...unknown(20),
    ...len(1, [
      ...unknown(30),
      ...s(1, `pod-${i}-名前`),
      ...s(3, 'monitoring'),
      ...entry(11, 'team', LONG),
      ...entry(11, 'ラベル', 'värde'),
      ...entry(11, 'empty', ''),
      ...len(13, [...unknown(20), ...s(1, 'ReplicaSet'), ...s(3, 'rs'), ...s(4, 'u'), ...s(5, 'apps/v1'), ...v(7, 0)]),
      ...len(17, Buffer.alloc(300, 0x41)),
    ]),
    ...len(2, [...unknown(40), ...s(10, `node-${i}`)]),
    ...len(3, [
      ...s(1, 'Running'),
      ...len(2, [
        ...s(1, 'Ready'),
        ...s(2, 'True'),
        ...seconds(3, -86_400 * 365 * 30), // 1940
        ...seconds(4, 4_102_444_800n, unknown(10)), // 2100, past 2038
        ...unknown(20),
        ...v(7, 2n ** 53n),
      ]),
      ...s(6, '10.0.0.1'),
      ...len(7, []), // the zero time
      ...unknown(30),
    ]),
  ];
}
const expectedPod = (i: number) => ({
  metadata: {
    name: `pod-${i}-名前`,
    namespace: 'monitoring',
    labels: { team: LONG, ラベル: 'värde', empty: '' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: 'u', apiVersion: 'apps/v1', blockOwnerDeletion: false }],
  },
  spec: { nodeName: `node-${i}` },
  status: {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastProbeTime: '1940-01-09T00:00:00Z',
        lastTransitionTime: '2100-01-01T00:00:00Z',
        observedGeneration: 2 ** 53,
      },
    ],
    podIP: '10.0.0.1',
    startTime: null,
  },
});

function page(items: number[][], meta: number[] = [...s(2, '99'), ...s(3, 'tok')]): Buffer {
  return envelope('PodList', [
    ...unknown(50),
    ...len(1, [...meta, ...unknown(20)]),
    ...items.flatMap((i) => len(2, i)),
  ]);
}

function read(bytes: Buffer, cuts: number[]) {
  const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    stream.push(bytes.subarray(at, c));
    at = c;
  }
  return stream.end();
}

describe('proto-pick, hostile: what a real server or network can send', () => {
  const body = page([pod(0), pod(1), pod(2)]);
  const want = {
    metadata: { resourceVersion: '99', continue: 'tok' },
    items: [expectedPod(0), expectedPod(1), expectedPod(2)],
  };

  it('reads edge values and skips unknown members of every wire type in every message', () => {
    expect(read(body, [])).toEqual(want);
  });

  it('reads the same page cut in two at every byte, and in 1-byte chunks', () => {
    for (let cut = 0; cut <= body.length; cut++) expect(read(body, [cut])).toEqual(want);
    expect(
      read(
        body,
        Array.from({ length: body.length }, (_, i) => i),
      ),
    ).toEqual(want);
  });

  it('an empty last page (no items, no continue) is an empty list', () => {
    const last = page([], s(2, '100'));
    for (let cut = 0; cut <= last.length; cut++)
      expect(read(last, [cut])).toEqual({ metadata: { resourceVersion: '100' }, items: [] });
  });

  it('refuses the page cut short at every byte before its list ends', () => {
    const listEnds = body.length - (2 + 2 + 2 + 'application/vnd.kubernetes.protobuf'.length);
    for (let cut = 0; cut < listEnds; cut++) expect(() => read(body.subarray(0, cut), [])).toThrow(ProtobufError);
  });

  it('refuses bytes after the envelope that are not protobuf members (field 0, a cut varint, wire type 7)', () => {
    for (const garbage of [[0, 0], [0x80], [0x0f], [0x0a, 5, 1]])
      expect(() => read(Buffer.concat([body, Buffer.from(garbage)]), [])).toThrow(ProtobufError);
  });

  it('refuses a broken item as soon as its bytes are in, without holding the rest of the page', () => {
    // The first item's name claims more bytes than the item holds (and than have arrived).
    const broken = [...len(1, [...tag(1, 2), ...varint(100_000), ...Buffer.from('x')])];
    const bytes = page([broken, ...Array.from({ length: 20 }, (_, i) => pod(i))]);
    const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
    expect(() => {
      for (let at = 0; at < bytes.length; at += 512) stream.push(bytes.subarray(at, at + 512));
    }).toThrow(ProtobufError);
    // An item cut inside a varint at its end (a time's seconds) is refused the same way.
    const cutVarint = [...len(3, len(7, [...tag(1, 0), 0x80]))];
    const other = page([cutVarint, ...Array.from({ length: 20 }, (_, i) => pod(i))]);
    const stream2 = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
    expect(() => {
      for (let at = 0; at < other.length; at += 512) stream2.push(other.subarray(at, at + 512));
    }).toThrow(ProtobufError);
    // An item, or a list's tag, that goes past the end of the list: refused once the list's bytes are in.
    for (const list of [
      [...len(1, s(2, '1')), ...tag(2, 2), ...varint(100_000), 1, 2, 3],
      [...len(1, s(2, '1')), 0x80],
    ]) {
      const bytes3 = envelope('PodList', list, s(4, 'x'.repeat(1000)));
      const stream3 = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
      expect(() => stream3.push(bytes3.subarray(0, 100))).toThrow(ProtobufError);
    }
  });

  it('holds about one item and one chunk, not the page', () => {
    const items = Array.from({ length: 200 }, (_, i) => pod(i));
    const bytes = page(items);
    const itemBytes = Math.max(...items.map((i) => i.length)) + 8;
    for (const size of [1, 100, 4096, 65536]) {
      const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
      let most = 0;
      let capacity = 0;
      for (let at = 0; at < bytes.length; at += size) {
        stream.push(bytes.subarray(at, at + size));
        // The bytes waiting in the receive buffer, and the buffer (reused, not one per chunk).
        const held = stream as unknown as { buf: Buffer; start: number; stop: number };
        most = Math.max(most, held.stop - held.start);
        capacity = Math.max(capacity, held.buf.length);
      }
      expect(stream.end().items).toHaveLength(200);
      expect(most).toBeLessThanOrEqual(itemBytes + size + 200);
      expect(capacity).toBeLessThanOrEqual(Math.max(256 * 1024, 2 * (itemBytes + size)));
    }
  });

  it('a time outside what a JS Date holds is a ProtobufError, not a RangeError', () => {
    const node = Buffer.from(len(2, len(5, [...s(1, 'k'), ...s(3, 'NoSchedule'), ...seconds(4, 10n ** 15n)])));
    expect(() => pickMessage(node, NODE, { spec: { taints: true } })).toThrow(ProtobufError);
  });

  it('reads the Status of a 401, 404, 410 and 500 in protobuf, with details and unknown members', () => {
    for (const [code, reason] of [
      [401, 'Unauthorized'],
      [404, 'NotFound'],
      [410, 'Expired'],
      [500, 'InternalError'],
    ] as const) {
      const msg = `${reason}: ${LONG}`;
      const bytes = envelope('Status', [
        ...len(1, [...s(2, '1'), ...s(3, '')]),
        ...unknown(20),
        ...s(2, 'Failure'),
        ...s(3, msg),
        ...s(4, reason),
        ...len(5, [...s(1, 'pods'), ...len(4, [...s(1, 'FieldValueInvalid'), ...s(2, 'm'), ...s(3, 'f')]), ...v(5, 3)]),
        ...v(6, code),
      ]);
      expect(protobufStatus(bytes)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: msg,
        reason,
        code,
      });
    }
  });
});
