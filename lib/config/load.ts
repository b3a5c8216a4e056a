/**
 * Reads and validates the config file. Every error names the file, the line and the key
 * (`.stackcheck.yaml:7: mutes[0].reason: required …`) and is a ConfigError (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { findCheck } from '../checks';
import { FAMILIES, type Family, type Severity } from '../checks/types';
import { ConfigError, describeError } from '../errors';
import { FORMATS } from '../report/format';
import { parseDuration } from '../util/duration';
import { EMPTY_CONFIG, type Mute, type StackcheckConfig, type Thresholds, type VerifyDefaults } from './types';

export const DEFAULT_CONFIG_FILE = '.stackcheck.yaml';

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
const FAIL_ON = ['critical', 'warning', 'never'] as const;
const THRESHOLDS: Record<keyof Thresholds, { min: number; unit: string }> = {
  certificateWarningDays: { min: 0, unit: 'days' },
  certificateCriticalDays: { min: 0, unit: 'days' },
  heartbeatMaxAgeSeconds: { min: 1, unit: 'seconds' },
  targetHealthGraceSeconds: { min: 0, unit: 'seconds' },
};

/** `--config FILE`, else `.stackcheck.yaml` in `cwd` when it exists, else none. */
export function configPath(flag: string | undefined, cwd: string): string | undefined {
  if (flag) return isAbsolute(flag) ? flag : resolve(cwd, flag);
  const p = join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(p) ? p : undefined;
}

export function loadConfigFile(
  path: string,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): StackcheckConfig {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError(`config file ${path}: cannot read it: ${describeError(err)}`, path);
  }
  return parseConfig(text, path);
}

class Walker {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  fail(node: Node | null | undefined, key: string, message: string): never {
    const at = node?.range ? `:${this.lines.linePos(node.range[0]).line}` : '';
    throw new ConfigError(`${this.file}${at}: ${key}: ${message}`, this.file);
  }

  map(node: Node | null | undefined, key: string, allowed: readonly string[]): Map<string, Node | null> {
    if (!isMap(node)) this.fail(node, key, 'expected a mapping');
    const out = new Map<string, Node | null>();
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const name = key ? `${key}.${k}` : k;
      if (!allowed.includes(k)) this.fail(pair.key as Node, name, `unknown key (allowed here: ${allowed.join(', ')})`);
      out.set(k, (pair.value as Node | null) ?? null);
    }
    return out;
  }

  string(node: Node | null | undefined, key: string, pattern?: RegExp, what?: string): string {
    // A bare number is a string for us (`env: {PORT: 8080}`).
    const ok =
      isScalar(node) && ((typeof node.value === 'string' && node.value !== '') || typeof node.value === 'number');
    if (!ok) this.fail(node, key, `expected ${what ?? 'a non-empty string'}`);
    const v = String((node as { value: unknown }).value);
    if (pattern && !pattern.test(v)) this.fail(node, key, `${JSON.stringify(v)} is not ${what ?? 'valid'}`);
    return v;
  }

  bool(node: Node | null | undefined, key: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, key, 'expected true or false');
    return node.value;
  }

  oneOf<T extends string>(node: Node | null | undefined, key: string, values: readonly T[]): T {
    const v = this.string(node, key, undefined, `one of ${values.join(', ')}`);
    if (!(values as readonly string[]).includes(v))
      this.fail(node, key, `${JSON.stringify(v)} is not one of ${values.join(', ')}`);
    return v as T;
  }

  number(node: Node | null | undefined, key: string, min: number, unit: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value) || node.value < min)
      this.fail(node, key, `expected a number of ${unit} (at least ${min})`);
    return node.value;
  }

  /** A list of strings; a single string (also comma-separated) is accepted as a one-item list. */
  list(node: Node | null | undefined, key: string): string[] {
    if (isScalar(node) && typeof node.value === 'string')
      return node.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (!isSeq(node)) this.fail(node, key, 'expected a list of strings');
    return node.items.map((item, i) => this.string(item as Node, `${key}[${i}]`));
  }

  families(node: Node | null | undefined, key: string): Family[] {
    const names = this.list(node, key);
    const bad = names.filter((n) => !(FAMILIES as readonly string[]).includes(n));
    if (bad.length) this.fail(node, key, `unknown check family ${bad.join(', ')} (known: ${FAMILIES.join(', ')})`);
    return names as Family[];
  }
}

const CODE = /^[A-Z*?]+[0-9*?]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Whether the date part names a day of the calendar: Date.parse takes 2027-02-30 as March 2. */
function realDay(until: string): boolean {
  const [y, m, d] = until.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

function parseMute(w: Walker, node: Node | null, key: string): Mute {
  const m = w.map(node, key, ['code', 'resource', 'reason', 'until']);
  if (!m.has('code')) w.fail(node, `${key}.code`, 'required (a check code such as WRK008)');
  if (!m.has('reason')) w.fail(node, `${key}.reason`, 'required: say why the finding is accepted');
  const until = m.has('until')
    ? w.string(m.get('until'), `${key}.until`, DATE, 'a date (YYYY-MM-DD) or ISO 8601 time')
    : undefined;
  if (until !== undefined && (Number.isNaN(Date.parse(until)) || !realDay(until)))
    w.fail(m.get('until'), `${key}.until`, `${until} is not a real date`);
  const code = w.string(m.get('code'), `${key}.code`, CODE, 'a check code such as WRK008 (globs * and ? allowed)');
  if (!/[*?]/.test(code) && !findCheck(code)) w.fail(m.get('code'), `${key}.code`, `${code} is not a known check code`);
  return {
    code,
    resource: m.has('resource') ? w.string(m.get('resource'), `${key}.resource`) : '*',
    reason: w.string(m.get('reason'), `${key}.reason`),
    ...(until !== undefined ? { until } : {}),
  };
}

function parseVerify(w: Walker, node: Node | null, base: string): VerifyDefaults {
  const keys = [
    'snapshot',
    'cluster',
    'region',
    'kubeconfig',
    'context',
    'values',
    'env',
    'set',
    'domain',
    'certArn',
    'release',
    'namespace',
    'checks',
    'skip',
    'prometheusUrl',
    'grafanaUrl',
    'format',
    'output',
    'failOn',
    'state',
    'notify',
    'timeout',
    'wait',
    'pushgateway',
    'notifyAlways',
    'verbose',
    'quiet',
  ] as const;
  const m = w.map(node, 'verify', keys);
  const out: VerifyDefaults = {};
  const str = (k: (typeof keys)[number]) => w.string(m.get(k), `verify.${k}`);
  // Files named in the config are relative to the config file, as they sit next to it in git.
  const file = (p: string) => (p === '-' || isAbsolute(p) ? p : join(base, p));
  for (const k of ['cluster', 'region', 'context', 'domain', 'certArn', 'release', 'namespace'] as const)
    if (m.has(k)) out[k] = str(k);
  for (const k of ['snapshot', 'kubeconfig', 'output'] as const) if (m.has(k)) out[k] = file(str(k));
  if (m.has('state')) {
    const s = str('state');
    out.state = s.startsWith('dynamodb:') ? s : file(s);
  }
  for (const k of ['prometheusUrl', 'grafanaUrl', 'pushgateway'] as const)
    if (m.has(k)) out[k] = w.string(m.get(k), `verify.${k}`, /^https?:\/\/[^\s/]+/, 'an http(s) URL');
  if (m.has('values')) out.values = w.list(m.get('values'), 'verify.values').map(file);
  if (m.has('set')) out.set = w.list(m.get('set'), 'verify.set');
  if (m.has('env')) {
    const env = m.get('env');
    if (!isMap(env)) w.fail(env, 'verify.env', 'expected a mapping of NAME: value');
    out.env = {};
    for (const pair of env.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) w.fail(pair.key as Node, `verify.env.${name}`, 'not a variable name');
      out.env[name] = w.string(pair.value as Node, `verify.env.${name}`, undefined, 'a string value');
    }
  }
  if (m.has('checks')) out.checks = w.families(m.get('checks'), 'verify.checks');
  if (m.has('skip')) out.skip = w.families(m.get('skip'), 'verify.skip');
  if (m.has('format')) out.format = w.oneOf(m.get('format'), 'verify.format', FORMATS);
  if (m.has('failOn')) out.failOn = w.oneOf(m.get('failOn'), 'verify.failOn', FAIL_ON);
  if (m.has('notify')) {
    out.notify = w.list(m.get('notify'), 'verify.notify');
    const bad = out.notify.filter((t) => t !== 'slack' && t !== 'sns');
    if (bad.length)
      w.fail(m.get('notify'), 'verify.notify', `unknown destination ${bad.join(', ')} (known: slack, sns)`);
  }
  for (const k of ['notifyAlways', 'verbose', 'quiet'] as const) if (m.has(k)) out[k] = w.bool(m.get(k), `verify.${k}`);
  if (m.has('timeout')) out.timeout = w.number(m.get('timeout'), 'verify.timeout', 1, 'seconds');
  if (m.has('wait')) {
    const v = m.get('wait');
    const s = isScalar(v) && typeof v.value === 'number' ? `${v.value}s` : w.string(v, 'verify.wait');
    try {
      parseDuration(s);
    } catch (err) {
      w.fail(v, 'verify.wait', (err as Error).message);
    }
    out.wait = s;
  }
  return out;
}

const isNull = (node: Node | null | undefined): boolean => node == null || (isScalar(node) && node.value === null);

/** Parses the text of a config file; `file` names it in errors and anchors relative paths. */
export function parseConfig(text: string, file: string): StackcheckConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = `:${lines.linePos(e.pos[0]).line}`;
    throw new ConfigError(`${file}${at}: not valid YAML: ${e.message.split('\n')[0]}`, file);
  }
  const w: Walker = new Walker(file, lines);
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { ...EMPTY_CONFIG, file };
  if (!isMap(root)) w.fail(root, 'top level', 'expected a mapping of mutes, overrides and verify');
  const top = w.map(root, '', ['mutes', 'overrides', 'verify']);
  const config: StackcheckConfig = { file, mutes: [], overrides: { severity: {}, thresholds: {} }, verify: {} };

  // A section with nothing under it (`verify:` whose keys are all commented out) is an empty one.
  const given = (k: string) => top.has(k) && !isNull(top.get(k));
  const mutes = top.get('mutes');
  if (given('mutes')) {
    if (!isSeq(mutes)) w.fail(mutes, 'mutes', 'expected a list of {code, resource, reason, until}');
    config.mutes = mutes.items.map((item, i) => parseMute(w, item as Node, `mutes[${i}]`));
  }

  if (given('overrides')) {
    const o = w.map(top.get('overrides'), 'overrides', ['severity', 'thresholds']);
    const sevNode = o.get('severity');
    if (o.has('severity')) {
      if (!isMap(sevNode)) w.fail(sevNode, 'overrides.severity', 'expected a mapping of CODE: critical|warning|info');
      for (const pair of sevNode.items) {
        const code = isScalar(pair.key) ? String(pair.key.value) : '';
        const check = findCheck(code);
        if (!check) w.fail(pair.key as Node, `overrides.severity.${code}`, 'not a known check code');
        // Results carry the code as the catalogue spells it: `wrk008` is WRK008 (as for explain).
        config.overrides.severity[check.code] = w.oneOf(pair.value as Node, `overrides.severity.${code}`, SEVERITIES);
      }
    }
    if (o.has('thresholds')) {
      const names = Object.keys(THRESHOLDS) as Array<keyof Thresholds>;
      const t = w.map(o.get('thresholds'), 'overrides.thresholds', names);
      for (const name of names)
        if (t.has(name))
          config.overrides.thresholds[name] = w.number(
            t.get(name),
            `overrides.thresholds.${name}`,
            THRESHOLDS[name].min,
            THRESHOLDS[name].unit,
          );
      const { certificateWarningDays: warn, certificateCriticalDays: crit } = config.overrides.thresholds;
      if ((warn ?? 30) < (crit ?? 14))
        w.fail(
          t.get('certificateWarningDays') ?? t.get('certificateCriticalDays'),
          'overrides.thresholds.certificateWarningDays',
          `must be at least certificateCriticalDays (${crit ?? 14})`,
        );
    }
  }

  if (given('verify')) config.verify = parseVerify(w, top.get('verify') ?? null, dirname(resolve(file)));
  return config;
}
