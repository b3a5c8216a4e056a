/**
 * A minimal protobuf writer for tests of the protobuf reader (lib/adapters/proto-pick.ts): each
 * function returns the bytes of one member, field number and wire type first, so a test spells the
 * exact message it sends.
 */
import { PROTOBUF_MAGIC } from '../../lib/adapters/proto-pick';

/** A base-128 varint; negative numbers as 64-bit two's complement (10 bytes), as Go writes int64. */
export const varint = (n: number | bigint): number[] => {
  let x = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) byte |= 0x80;
    out.push(byte);
  } while (x > 0n);
  return out;
};
export const tag = (field: number, wire: number) => varint((field << 3) | wire);
/** A length-delimited member (a message, string or bytes). */
export const len = (field: number, bytes: number[] | Buffer) => [...tag(field, 2), ...varint(bytes.length), ...bytes];
/** A string member (UTF-8). */
export const s = (field: number, text: string) => len(field, Buffer.from(text, 'utf8'));
/** A varint member. */
export const v = (field: number, n: number | bigint) => [...tag(field, 0), ...varint(n)];
export const f32 = (field: number) => [...tag(field, 5), 0xde, 0xad, 0xbe, 0xef];
export const f64 = (field: number) => [...tag(field, 1), 1, 2, 3, 4, 5, 6, 7, 0xff];
/** An entry of a map<string, string> member. */
export const entry = (field: number, key: string, value: string) => len(field, [...s(1, key), ...s(2, value)]);
/** A metav1.Time member: empty for the zero time (null), else its seconds. */
export const time = (field: number, iso: string | null) =>
  len(field, iso === null ? [] : v(1, Math.floor(Date.parse(iso) / 1000)));
/** The API server's envelope: `k8s\0`, then runtime.Unknown { typeMeta, raw, … }. */
export const envelope = (kind: string, raw: number[], extra: number[] = []) =>
  Buffer.from([...PROTOBUF_MAGIC, ...len(1, [...s(1, 'v1'), ...s(2, kind)]), ...len(2, raw), ...extra]);
