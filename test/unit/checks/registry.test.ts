import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allChecks } from '../../../lib/checks';
import { checksMarkdown } from '../../../scripts/gen-check-docs';

const ROOT = join(__dirname, '../../..');

describe('check registry', () => {
  it('has unique, well-formed codes with a family prefix', () => {
    const codes = allChecks.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    const prefix: Record<string, string> = {
      helm: 'HELM',
      workloads: 'WRK',
      storage: 'STO',
      crds: 'CRD',
      ingress: 'ING',
      alb: 'ALB',
      certificate: 'CRT',
      prometheus: 'PRM',
      grafana: 'GRF',
      heartbeat: 'HRT',
    };
    for (const c of allChecks) expect(c.code.startsWith(prefix[c.family])).toBe(true);
  });

  it('gives every check a description, a remediation and declared inputs', () => {
    for (const c of allChecks) {
      expect(c.description.length).toBeGreaterThan(20);
      expect(c.remediation.length).toBeGreaterThan(10);
      expect(c.requires.length).toBeGreaterThan(0);
    }
  });

  it('is documented: docs/checks.md is generated from it and up to date', () => {
    const doc = readFileSync(join(ROOT, 'docs/checks.md'), 'utf8');
    expect(doc).toBe(checksMarkdown());
    for (const c of allChecks) expect(doc).toContain(`| ${c.code} |`);
  });

  it('has a test naming every code', () => {
    const dir = join(ROOT, 'test/unit/checks');
    const text = readdirSync(dir)
      .filter((f: string) => f.endsWith('.test.ts'))
      .map((f: string) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const untested = allChecks
      .map((c) => c.code)
      .filter((code) => !text.includes(`'${code}'`) && !text.includes(`(${code})`));
    expect(untested).toEqual([]);
  });
});
