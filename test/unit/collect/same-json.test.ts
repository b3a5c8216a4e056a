/**
 * sameJson (lib/collect/kubernetes.ts) decides whether an item's labels, owners or taints are the
 * ones kept for the item before: equal as JSON values, member order aside.
 */
import fc from 'fast-check';
import { sameJson } from '../../../lib/collect/kubernetes';

describe('sameJson', () => {
  it('is JSON equality, member order aside', () => {
    expect(sameJson({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameJson({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameJson({ a: '1', b: '2' }, { a: '1' })).toBe(false);
    expect(sameJson({ a: '1', b: undefined }, { a: '1', c: undefined })).toBe(false);
    expect(sameJson([{ k: 'x' }], [{ k: 'x' }])).toBe(true);
    expect(sameJson([{ k: 'x' }], { 0: { k: 'x' } })).toBe(false);
    expect(sameJson({}, [])).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });

  it('counts a label named __proto__ as the member it is', () => {
    const own = (v: string) => Object.defineProperty({ a: '1' }, '__proto__', { value: v, enumerable: true });
    expect(sameJson(own('x'), own('x'))).toBe(true);
    expect(sameJson(own('x'), own('y'))).toBe(false);
    expect(sameJson(own('x'), { a: '1' })).toBe(false);
  });

  it('agrees with comparing JSON.stringify of sorted members on random labels', () => {
    const canon = (v: unknown): unknown =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, canon(x)]),
          )
        : Array.isArray(v)
          ? v.map(canon)
          : v;
    const labels = fc.dictionary(fc.constantFrom('app', 'zone', 'os', 'arch', 'tier'), fc.constantFrom('a', 'b', ''));
    fc.assert(
      fc.property(labels, labels, (a, b) =>
        expect(sameJson(a, b)).toBe(JSON.stringify(canon(a)) === JSON.stringify(canon(b))),
      ),
      { numRuns: 2000 },
    );
  });
});
