import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../lib/version';

describe('version', () => {
  it('matches package.json, so reports name the release that produced them', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
