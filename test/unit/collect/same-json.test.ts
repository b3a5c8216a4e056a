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
  it('agrees with the Object.keys model on null-prototype objects, inherited members, own __proto__, arrays', () => {
    const model = (a: unknown, b: unknown): boolean => {
      if (a === b) return true;
      if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
      if (Array.isArray(a) || Array.isArray(b))
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => model(x, b[i]));
      const ka = Object.keys(a);
      const rb = b as Record<string, unknown>;
      return (
        ka.length === Object.keys(b).length &&
        ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && model((a as Record<string, unknown>)[k], rb[k]))
      );
    };
    // Members defined as JSON.parse and proto-pick define them (own, even __proto__), on a plain,
    // a null or a prototype with enumerable members of its own.
    const build = ([members, proto]: [Array<[string, unknown]>, number]): object => {
      const o = Object.create([Object.prototype, null, { b: 'x', inherited: 'y' }][proto]) as object;
      for (const [k, v] of members)
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    };
    const key = fc.constantFrom('a', 'b', '0', '__proto__', 'constructor', 'hasOwnProperty', 'inherited');
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('x', 'y', '', undefined, null),
        tie('object'),
        fc.array(tie('value'), { maxLength: 3 }),
      ),
      object: fc.tuple(fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }), fc.nat(2)).map(build),
    }));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(model(a, b));
        expect(sameJson(a, a)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
