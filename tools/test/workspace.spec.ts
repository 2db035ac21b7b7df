import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProjectNodes, runNx, workspaceRoot, type ProjectNode } from './nx-graph';

describe('the workspace', () => {
  let nodes: ProjectNode[];

  beforeAll(() => {
    nodes = readProjectNodes();
  });

  it('workspace.json maps exactly the projects `nx show projects` knows, to their roots', () => {
    const documented = JSON.parse(
      fs.readFileSync(path.join(workspaceRoot, 'workspace.json'), 'utf8'),
    ).projects as Record<string, string>;
    const shown = (JSON.parse(runNx(['show', 'projects', '--json'])) as string[]).sort();

    expect(Object.keys(documented).sort()).toEqual(shown);
    const actualRoots = Object.fromEntries(nodes.map((n) => [n.name, n.root]));
    expect(documented).toEqual(actualRoots);
  });

  it('gives every project one scope: tag and one type: tag', () => {
    const untagged = nodes.filter(
      (n) =>
        n.tags.filter((t) => t.startsWith('scope:')).length !== 1 ||
        n.tags.filter((t) => t.startsWith('type:')).length !== 1,
    );
    expect(untagged.map((n) => `${n.name} ${JSON.stringify(n.tags)}`)).toEqual([]);
  });

  it('keeps nx and every @nx/* package on one version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
    const all = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
    const nxVersions = new Set(
      Object.entries(all)
        .filter(([name]) => name === 'nx' || name.startsWith('@nx/'))
        .map(([, v]) => v),
    );
    expect([...nxVersions]).toEqual(['23.2.1']);
  });

  it('stays on NestJS 11 (12 is ESM-only and Jest cannot load it on Node 20)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
    const all = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
    const nest = Object.entries(all).filter(([name]) =>
      /^@nestjs\/(core|common|platform-fastify|microservices|testing)$/.test(name),
    );
    expect(nest.length).toBeGreaterThanOrEqual(4);
    for (const [name, version] of nest) expect(`${name}@${version}`).toMatch(/@11\./);
  });

  it('caches build, test, lint and typecheck explicitly (Nx 23 no longer infers it from names)', () => {
    const nxJson = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'nx.json'), 'utf8'));
    for (const target of ['build', 'test', 'lint', 'typecheck']) {
      expect({ target, cache: nxJson.targetDefaults[target]?.cache }).toEqual({
        target,
        cache: true,
      });
    }
  });
});
