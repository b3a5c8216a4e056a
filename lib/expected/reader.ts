/**
 * Reading user values for the builders: what the expectation is built from (ExpectedInputs,
 * ValuesWithOrigins) and typed reads that name the path and the file on a type error (Reader).
 */
import { ConfigError } from '../errors';
import type { CheckThresholds } from './types';
import { describeType, isPlainObject, type Values } from './values';

export interface ExpectedInputs {
  release?: string;
  namespace?: string;
  domain?: string;
  certArn?: string;
  prometheusUrl?: string;
  grafanaUrl?: string;
  heartbeatMaxAgeSeconds?: number;
  /** From the config file's `overrides.thresholds`. */
  thresholds?: Partial<CheckThresholds>;
}

export interface ValuesWithOrigins {
  values: Values;
  origins?: Record<string, string>;
}

/**
 * Typed reads of user values that name the path (and the file) on a type error. A key set to null
 * (`--set a=null`, `a: ~`) deletes the chart's default, as Helm's coalescing does: a string is then
 * unset, a flag false (a template's `if` on a missing value), a list or map empty. Whole numbers
 * keep the default (a null there would render an empty field).
 */
export class Reader {
  constructor(
    private readonly values: Values,
    private readonly origins: Record<string, string>,
  ) {}

  /** The value at `path`: undefined when absent, null when set to null. */
  raw(path: string): unknown {
    let node: unknown = this.values;
    for (const part of path.split('.')) {
      if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
      node = node[part];
    }
    return node;
  }

  private origin(path: string): string | undefined {
    if (this.origins[path]) return this.origins[path];
    const below = Object.entries(this.origins).find(([p]) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
    if (below) return below[1];
    const parts = path.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const up = this.origins[parts.slice(0, i).join('.')];
      if (up) return up;
    }
    return undefined;
  }

  private wrong(path: string, want: string, got: unknown): never {
    const source = this.origin(path);
    const where = source ? `${source}: ` : '';
    throw new ConfigError(`${where}${path}: expected ${want}, got ${describeType(got)}`, source);
  }

  str(path: string, def?: string): string | undefined {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.wrong(path, 'a string', v);
  }

  bool(path: string, def: boolean): boolean {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.wrong(path, 'true or false', v);
  }

  /**
   * A subchart's `condition:` (grafana.enabled, …). Helm ignores a condition whose value is missing
   * or not a boolean, and then installs the subchart (it is enabled by default).
   */
  condition(path: string): boolean {
    const v = this.raw(path);
    if (v === undefined || v === null) return true;
    return this.bool(path, true);
  }

  int(path: string, def: number): number {
    const v = this.raw(path);
    if (v === undefined || v === null) return def;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
    return this.wrong(path, 'a whole number', v);
  }

  strList(path: string, def: string[]): string[] {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (v === null) return [];
    if (!Array.isArray(v)) return this.wrong(path, 'a list of strings', v);
    return v.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number') return String(item);
      return this.wrong(`${path}[${i}]`, 'a string', item);
    });
  }

  map(path: string): Record<string, string> {
    const v = this.raw(path);
    if (v === undefined || v === null) return {};
    if (!isPlainObject(v)) return this.wrong(path, 'a map', v);
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      if (item === null || item === undefined) continue;
      if (typeof item === 'object') this.wrong(`${path}.${k}`, 'a string', item);
      Object.defineProperty(out, k, { value: String(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
