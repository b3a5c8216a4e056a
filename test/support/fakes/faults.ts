/** Fault injection shared by the fakes: per call name, what to do and how many times. */
export type Fault =
  | { kind: 'throttle'; times?: number }
  | { kind: 'error500'; times?: number }
  | { kind: 'hang'; times?: number }
  | { kind: 'accessDenied'; times?: number }
  | { kind: 'unauthorized'; times?: number }
  | { kind: 'malformed'; times?: number };

export class FaultPlan {
  private readonly faults = new Map<string, Fault & { used: number }>();
  /** Extra latency added to every response, ms (benchmarks). */
  latencyMs = 0;

  set(call: string, fault: Fault): void {
    this.faults.set(call, { ...fault, used: 0 });
  }

  clear(): void {
    this.faults.clear();
  }

  /** The fault to apply to this call now, if any (counts down `times`). */
  take(call: string): Fault | undefined {
    const f = this.faults.get(call) ?? this.faults.get('*');
    if (!f) return undefined;
    if (f.times !== undefined && f.used >= f.times) return undefined;
    f.used += 1;
    return f;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
