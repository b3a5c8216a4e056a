/**
 * bin/stackcheck.js and its bundles' V8 code cache, on a copy of bin/ and dist/ (the tests' shared
 * dist/ keeps its own cache): named by the hash the build writes on the bundle's first line, not
 * written by runs that only print, written by a run that verifies, and used (not rewritten) after.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_VALUES_ARGS } from '../support/cli';

const ROOT = join(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stackcheck-cache-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(ROOT, 'bin/stackcheck.js'), join(dir, 'bin/stackcheck.js'));
  copyFileSync(join(ROOT, 'dist/cli-snapshot.js'), join(dir, 'dist/cli-snapshot.js'));
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'bin/stackcheck.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}
const caches = () => readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.v8cache'));

describe('the CLI bundle code cache', () => {
  it('the build writes the bundle hash on its first line', () => {
    const first = readFileSync(join(dir, 'dist/cli-snapshot.js'), 'latin1').split('\n', 1)[0];
    expect(first).toMatch(/^\/\/ stackcheck-bundle [0-9a-f]{16}$/);
  });

  it('is not written by runs that only print', () => {
    expect(run(['--version']).status).toBe(0);
    expect(run(['explain', 'HELM101']).status).toBe(0);
    expect(caches()).toEqual([]);
  });

  it('is written by a verify run, named by that hash, and used by the next', () => {
    const args = ['verify', '--snapshot', 'examples/healthy-snapshot.json', ...LAB_VALUES_ARGS, '--format', 'json'];
    const first = run(args);
    expect(first.status).toBe(0);
    const id = /^\/\/ stackcheck-bundle ([0-9a-f]{16})/.exec(
      readFileSync(join(dir, 'dist/cli-snapshot.js'), 'latin1'),
    )![1];
    expect(caches()).toEqual([`cli-snapshot.js.${id}.v8cache`]);
    const written = statSync(join(dir, 'dist', caches()[0])).mtimeMs;
    const second = run(args);
    expect(second.status).toBe(0);
    // The same report (a snapshot's report carries the snapshot's time, not the run's).
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(join(dir, 'dist', caches()[0])).mtimeMs).toBe(written);
  });
});
