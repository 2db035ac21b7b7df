import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
// The generator is plain CommonJS so Nx runs it without a TypeScript loader.
import serviceGenerator = require('./generator');

const workspaceRoot = path.resolve(__dirname, '../../..');
const realFiles = ['gateway/services.json', 'workspace.json', 'eslint.config.mjs', '.prettierrc'];

// Prettier 3 loads only through dynamic import(), which Jest's CommonJS
// runtime refuses; `nx g` itself formats (code-quality.spec checks the result).
process.env['NX_SKIP_FORMAT'] = 'true';

interface Registry {
  services: { name: string; port: number; database: string; routes: { path: string }[] }[];
}

describe('nx g @helpdesk/tools:service', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    for (const file of realFiles) {
      tree.write(file, fs.readFileSync(path.join(workspaceRoot, file), 'utf8'));
    }
  });

  it('scaffolds an app that follows the platform conventions', async () => {
    await serviceGenerator(tree, { name: 'billing-service' });

    const project = readJson(tree, 'apps/billing-service/project.json');
    expect(project.name).toBe('billing-service');
    expect(project.tags).toEqual(['scope:billing', 'type:app']);
    expect(Object.keys(project.targets).sort()).toEqual(['build', 'lint', 'test', 'typecheck']);
    expect(project.targets.build.configurations.production.command).toBe(
      'node tools/build/build-app.js billing-service --production',
    );
    const main = tree.read('apps/billing-service/src/main.ts', 'utf8');
    expect(main).toContain("process.argv[2] === 'migrate'");
    expect(main).toContain("process.env['PORT'] ?? 3006");
    expect(tree.read('apps/billing-service/src/app.module.ts', 'utf8')).toContain(
      'BILLING_SERVICE_DATABASE_URL',
    );
    expect(tree.exists('apps/billing-service/src/app.spec.ts')).toBe(true);
    expect(tree.exists('apps/billing-service/src/migrations/index.ts')).toBe(true);
  });

  it('registers the service with the gateway, the workspace map and the boundary rules', async () => {
    await serviceGenerator(tree, { name: 'billing-service', routes: ['/api/v1/invoices'] });

    const registry = readJson<Registry>(tree, 'gateway/services.json');
    expect(registry.services.at(-1)).toEqual({
      name: 'billing-service',
      port: 3006,
      database: 'helpdesk_billing',
      routes: [{ path: '/api/v1/invoices' }],
    });
    expect(readJson(tree, 'workspace.json').projects['billing-service']).toBe(
      'apps/billing-service',
    );
    expect(tree.read('eslint.config.mjs', 'utf8')).toMatch(
      /export const serviceScopes = \[[^\]]*'billing'\];/,
    );
  });

  it.each([
    [{ name: 'Billing' }, /not a service name/],
    [{ name: 'billing' }, /not a service name/],
    [{ name: 'user-service' }, /already in gateway\/services.json/],
    [{ name: 'billing-service', port: 3001 }, /Port 3001 is already taken/],
    [
      { name: 'billing-service', routes: ['/api/v1/tickets'] },
      /already belongs to another service/,
    ],
  ])('refuses %j and changes nothing', async (options, reason) => {
    const before = realFiles.map((file) => tree.read(file, 'utf8'));

    await expect(serviceGenerator(tree, options)).rejects.toThrow(reason);

    expect(realFiles.map((file) => tree.read(file, 'utf8'))).toEqual(before);
    expect(tree.exists('apps/billing-service')).toBe(false);
  });
});
