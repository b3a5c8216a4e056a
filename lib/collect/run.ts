/**
 * Runs the collectors of a plan, concurrently: each starts as soon as the parts it needs are in.
 * A failed call is recorded against its part (and the parts that needed it); a part whose
 * collector cannot run in this session is left out of `collected`, with the reason.
 */
import { CollectError, describeError } from '../errors';
import { DATA_KEYS, type CollectionError, type DataKey } from '../snapshot/types';
import { COLLECTORS, withNeeds } from './registry';
import type { CollectContext, CollectHints, SnapshotParts } from './types';

export type SessionContext = Omit<CollectContext, 'input' | 'fail' | 'count' | 'parts'>;

/**
 * One collection: keeps what was collected so that a later `collect` (the rest of the plan, once
 * the expectation is known) never reads a part twice.
 */
export class Collection {
  private readonly started = new Map<DataKey, Promise<boolean>>();
  private readonly planned = new Set<DataKey>();
  readonly errors: CollectionError[] = [];
  readonly unavailable: Partial<Record<DataKey, string>> = {};
  readonly counted: Record<string, number> = {};

  constructor(
    private readonly session: Omit<SessionContext, 'hints'>,
    readonly parts: SnapshotParts,
  ) {}

  /**
   * Collects `inputs` (and what they need) that were not collected yet, with these hints.
   * `onPart` hears of each part as its collector ends (`ok`: without an error on it).
   */
  async collect(
    inputs: Iterable<DataKey>,
    hints: CollectHints,
    onPart?: (key: DataKey, ok: boolean) => void,
  ): Promise<void> {
    const plan = withNeeds(inputs);
    for (const k of plan) this.planned.add(k);
    const tell = (key: DataKey, p: Promise<boolean> | undefined) => {
      if (onPart && p)
        p.then(
          (ok) => onPart(key, ok),
          () => {},
        );
    };
    // Parts an earlier collect started (the release read first, to know the expectation) are
    // told of too, as soon as they are in.
    for (const k of plan) tell(k, this.started.get(k));
    let fatal: CollectError | undefined;
    const failedOn = (key: DataKey) => this.errors.filter((e) => e.affects.includes(key));
    const session: SessionContext = { ...this.session, hints };

    const run = (key: DataKey): Promise<boolean> => {
      let p = this.started.get(key);
      if (!p) {
        p = collectOne(key);
        tell(key, p);
        this.started.set(key, p);
      }
      return p;
    };

    const collectOne = async (key: DataKey): Promise<boolean> => {
      const collector = COLLECTORS[key];
      const why = collector.unavailable?.(session);
      if (why) {
        this.unavailable[key] = why;
        return false;
      }
      const needs = collector.needs ?? [];
      await Promise.all(needs.map(run));
      for (const n of needs) {
        if (this.unavailable[n]) {
          this.unavailable[key] = this.unavailable[n];
          return false;
        }
        // What a failed read leaves unknown stays unknown downstream: its error is this part's too.
        const upstream = failedOn(n);
        if (upstream.length > 0) {
          for (const e of upstream) if (!e.affects.includes(key)) e.affects.push(key);
          return false;
        }
      }
      const ctx: CollectContext = {
        ...session,
        parts: this.parts,
        input: (k) => (plan.has(k) || this.started.has(k) ? run(k) : Promise.resolve(false)),
        fail: (e) => this.errors.push({ ...e, affects: [key, ...(e.affects ?? []).filter((a) => a !== key)] }),
        count: (service, n) => (this.counted[service] = (this.counted[service] ?? 0) + n),
      };
      try {
        await collector.collect(ctx);
      } catch (err) {
        if (err instanceof CollectError) {
          fatal ??= err;
          return false;
        }
        this.errors.push({
          source: collector.source,
          call: `collect ${key}`,
          affects: [key],
          message: describeError(err),
        });
      }
      return failedOn(key).length === 0;
    };

    // The longest chain of dependent calls first (DescribeLoadBalancers → DescribeListeners →
    // DescribeRules), the rest a turn of the event loop later: the long chain's requests go out
    // first, so its answers are handled first, and the other reads' work (a Kubernetes list page to
    // decode) fills its waits instead of delaying its next call.
    const order = byChainLength(plan);
    const longest = order.length > 0 ? chainLength(order[0]) : 0;
    const first = longest > 1 ? order.filter((k) => chainLength(k) === longest).map(run) : [];
    if (first.length > 0) await new Promise((r) => setImmediate(r));
    await Promise.all([...first, ...order.map(run)]);
    if (fatal) throw fatal;
  }

  /** Parts collected so far (possibly with errors), in DATA_KEYS order. */
  get collected(): DataKey[] {
    return DATA_KEYS.filter((k) => this.planned.has(k) && !this.unavailable[k]);
  }
}

/** How many collectors run one after another to produce `key` (itself and what it needs). */
function chainLength(key: DataKey, memo = new Map<DataKey, number>()): number {
  let n = memo.get(key);
  if (n === undefined) {
    n = 1 + Math.max(0, ...(COLLECTORS[key].needs ?? []).map((k) => chainLength(k, memo)));
    memo.set(key, n);
  }
  return n;
}

/** The parts of a plan, longest chain first (a stable sort: equal chains keep the plan's order). */
export function byChainLength(plan: Iterable<DataKey>): DataKey[] {
  const memo = new Map<DataKey, number>();
  return [...plan].sort((a, b) => chainLength(b, memo) - chainLength(a, memo));
}
