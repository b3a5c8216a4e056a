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

  /** Collects `inputs` (and what they need) that were not collected yet, with these hints. */
  async collect(inputs: Iterable<DataKey>, hints: CollectHints): Promise<void> {
    const plan = withNeeds(inputs);
    for (const k of plan) this.planned.add(k);
    let fatal: CollectError | undefined;
    const failedOn = (key: DataKey) => this.errors.filter((e) => e.affects.includes(key));
    const session: SessionContext = { ...this.session, hints };

    const run = (key: DataKey): Promise<boolean> => {
      let p = this.started.get(key);
      if (!p) {
        p = collectOne(key);
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

    await Promise.all([...plan].map(run));
    if (fatal) throw fatal;
  }

  /** Parts collected so far (possibly with errors), in DATA_KEYS order. */
  get collected(): DataKey[] {
    return DATA_KEYS.filter((k) => this.planned.has(k) && !this.unavailable[k]);
  }
}
