import fs from 'node:fs';
import path from 'node:path';
import { firstLockMismatch } from '../prepare';
import { removeDir, repositoryRoot, runNodeScript, scratchDir } from './support';

describe('prepare (tools/platform/prepare.js)', () => {
  it('on a prepared machine reports every step ok, and changes nothing', async () => {
    const script = path.join(repositoryRoot, 'tools/platform/prepare.js');
    await runNodeScript(script, []); // whatever this machine still lacked is installed or started now

    const again = await runNodeScript(script, []);

    expect(again.code).toBe(0);
    const lines = again.output.split('\n').filter((line) => line.startsWith('prepare: '));
    expect(lines.map((line) => line.replace(/ (ok|not reachable).*$/, ''))).toEqual([
      'prepare: npm dependencies',
      'prepare: PostgreSQL',
      'prepare: PostgreSQL role helpdesk',
      'prepare: RabbitMQ',
      'prepare: RabbitMQ management',
      'prepare: nginx',
    ]);
  }, 120_000);
});

describe('whether node_modules matches package-lock.json', () => {
  let dir: string;
  const write = (file: string, packages: Record<string, unknown>) =>
    fs.writeFileSync(path.join(dir, file), JSON.stringify({ lockfileVersion: 3, packages }));

  beforeEach(() => {
    dir = scratchDir('platform-lock');
  });

  afterEach(() => removeDir(dir));

  it('agrees when every locked package is installed at its version (root entry and absent optional ones aside)', () => {
    write('lock.json', {
      '': { name: 'x' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/@esbuild/darwin-arm64': { version: '0.1.0', optional: true },
    });
    write('installed.json', { 'node_modules/a': { version: '1.0.0' } });

    expect(
      firstLockMismatch(path.join(dir, 'lock.json'), path.join(dir, 'installed.json')),
    ).toBeUndefined();
  });

  it('names a package installed at another version', () => {
    write('lock.json', { 'node_modules/a': { version: '2.0.0' } });
    write('installed.json', { 'node_modules/a': { version: '1.0.0' } });

    expect(firstLockMismatch(path.join(dir, 'lock.json'), path.join(dir, 'installed.json'))).toBe(
      'node_modules/a 1.0.0 installed, 2.0.0 locked',
    );
  });

  it('names a required package that is not installed', () => {
    write('lock.json', {
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': { version: '1.0.0' },
    });
    write('installed.json', { 'node_modules/a': { version: '1.0.0' } });

    expect(firstLockMismatch(path.join(dir, 'lock.json'), path.join(dir, 'installed.json'))).toBe(
      'node_modules/b is not installed',
    );
  });
});
