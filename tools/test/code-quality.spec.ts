import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProjectNodes, runNx, workspaceRoot } from './nx-graph';

/**
 * `npm test` is what CI runs, so it also holds the workspace to its lint
 * rules (module boundaries included) and to TypeScript's strict checks —
 * the Jest transform only transpiles, file by file.
 */
describe('code quality of the whole workspace', () => {
  it('passes ESLint, module boundaries included', () => {
    runNx(['show', 'projects']); // the boundary rule reads the cached project graph
    const lint = spawnSync(
      process.execPath,
      [path.join(workspaceRoot, 'node_modules/eslint/bin/eslint.js'), '--max-warnings=0', '.'],
      {
        cwd: workspaceRoot,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
    expect(lint.status).toBe(0);
  }, 300_000);

  it('is formatted by Prettier, so generators (formatFiles) touch only what they change', () => {
    const prettier = spawnSync(
      process.execPath,
      [path.join(workspaceRoot, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.'],
      { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(prettier.stderr.trim()).toBe('');
    expect(prettier.status).toBe(0);
  }, 120_000);

  it('has a lockfile `npm ci` accepts on a clean machine', () => {
    // npm drops other platforms' optional binaries that our registry does not
    // serve; `npm ci` then rejects the lockfile (tools/scripts/complete-lockfile.js).
    const check = spawnSync(
      process.execPath,
      [path.join(workspaceRoot, 'tools/scripts/complete-lockfile.js'), '--check'],
      { cwd: workspaceRoot, encoding: 'utf8' },
    );
    expect(check.stderr.trim()).toBe('');
    expect(check.status).toBe(0);
  });

  it('type-checks every project under strict TypeScript', () => {
    const failures: string[] = [];
    for (const project of readProjectNodes()) {
      const tsconfig = path.join(workspaceRoot, project.root, 'tsconfig.json');
      if (!fs.existsSync(tsconfig)) continue;
      const tsc = spawnSync(
        process.execPath,
        [path.join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', tsconfig],
        {
          cwd: workspaceRoot,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (tsc.status !== 0) failures.push(`${project.name}:\n${tsc.stdout}${tsc.stderr}`);
    }
    expect(failures.join('\n')).toBe('');
  }, 600_000);
});
