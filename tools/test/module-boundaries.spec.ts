import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runNx, workspaceRoot } from './nx-graph';

/**
 * Proves that the module-boundary rules in eslint.config.mjs bite. The test
 * builds a throwaway workspace that uses the repository's own ESLint config,
 * nx.json and node_modules, with small projects tagged like ours, and lints
 * imports that must be refused (and some that must be allowed, so the test
 * cannot pass by the rule never running: with no project graph, the Nx rule
 * silently skips).
 */

interface FixtureProject {
  root: string;
  name: string;
  tags: string[];
  alias?: string;
  files: Record<string, string>;
}

const projects: FixtureProject[] = [
  {
    root: 'apps/user-service',
    name: 'user-service',
    tags: ['scope:user', 'type:app'],
    alias: '@helpdesk/user-service',
    files: {
      'src/main.ts': 'export const userService = 1;\n',
      'src/imports-an-app.ts':
        "import { ticketService } from '@helpdesk/ticket-service';\nexport const x = ticketService;\n",
      'src/imports-an-app-relatively.ts':
        "import { ticketService } from '../../ticket-service/src/main';\nexport const x = ticketService;\n",
      'src/imports-test-helpers.ts':
        "import { helper } from '@helpdesk/test-kit';\nexport const x = helper;\n",
    },
  },
  {
    root: 'apps/ticket-service',
    name: 'ticket-service',
    tags: ['scope:ticket', 'type:app'],
    alias: '@helpdesk/ticket-service',
    files: {
      'src/main.ts': 'export const ticketService = 1;\n',
      'src/allowed-imports.ts': [
        "import { Ticket } from '@helpdesk/ticket-domain';",
        "import { slug } from '@helpdesk/strings';",
        "import { TicketCreated } from '@helpdesk/contracts';",
        "import { Injectable } from '@nestjs/common';",
        'export const x = [Ticket, slug, Injectable];',
        'export type Y = TicketCreated;',
        '',
      ].join('\n'),
    },
  },
  {
    root: 'libs/ticket/domain',
    name: 'ticket-domain',
    tags: ['scope:ticket', 'type:domain'],
    alias: '@helpdesk/ticket-domain',
    files: {
      'src/index.ts': 'export class Ticket {}\n',
      'src/imports-another-scope.ts':
        "import { User } from '@helpdesk/user-domain';\nexport const x = User;\n",
      'src/imports-an-orm.ts':
        "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n",
    },
  },
  {
    root: 'libs/user/domain',
    name: 'user-domain',
    tags: ['scope:user', 'type:domain'],
    alias: '@helpdesk/user-domain',
    files: { 'src/index.ts': 'export class User {}\n' },
  },
  {
    root: 'libs/contracts',
    name: 'contracts',
    tags: ['scope:shared', 'type:contracts'],
    alias: '@helpdesk/contracts',
    files: {
      'src/index.ts': 'export interface TicketCreated { ticketId: string }\n',
      'src/imports-a-lib.ts': "import { slug } from '@helpdesk/strings';\nexport const x = slug;\n",
      'src/imports-a-framework.ts':
        "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    },
  },
  {
    root: 'libs/strings',
    name: 'strings',
    tags: ['scope:shared', 'type:util'],
    alias: '@helpdesk/strings',
    files: {
      'src/index.ts': 'export const slug = (s: string) => s.toLowerCase();\n',
      'src/imports-a-service-domain.ts':
        "import { Ticket } from '@helpdesk/ticket-domain';\nexport const x = Ticket;\n",
    },
  },
  {
    root: 'libs/test-kit',
    name: 'test-kit',
    tags: ['scope:shared', 'type:testing'],
    alias: '@helpdesk/test-kit',
    files: { 'src/index.ts': 'export const helper = 1;\n' },
  },
  {
    root: 'libs/untagged',
    name: 'untagged',
    tags: [],
    alias: '@helpdesk/untagged',
    files: {
      'src/index.ts': "import { slug } from '@helpdesk/strings';\nexport const x = slug;\n",
    },
  },
];

interface LintMessage {
  ruleId: string | null;
  message: string;
}

describe('module boundaries (eslint.config.mjs, @nx/enforce-module-boundaries)', () => {
  let dir: string;
  const messagesByFile = new Map<string, LintMessage[]>();

  const boundaryErrors = (file: string) =>
    (messagesByFile.get(file) ?? [])
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
      .map((m) => m.message);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
    for (const file of ['eslint.config.mjs', 'nx.json', 'package.json', 'package-lock.json']) {
      fs.copyFileSync(path.join(workspaceRoot, file), path.join(dir, file));
    }
    fs.symlinkSync(path.join(workspaceRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const paths: Record<string, string[]> = {};
    for (const project of projects) {
      const projectDir = path.join(dir, project.root);
      for (const [file, content] of Object.entries(project.files)) {
        fs.mkdirSync(path.dirname(path.join(projectDir, file)), { recursive: true });
        fs.writeFileSync(path.join(projectDir, file), content);
      }
      fs.writeFileSync(
        path.join(projectDir, 'project.json'),
        JSON.stringify({
          name: project.name,
          root: project.root,
          projectType: project.root.startsWith('apps/') ? 'application' : 'library',
          tags: project.tags,
          sourceRoot: `${project.root}/src`,
        }),
      );
      if (project.alias) {
        const entry = project.files['src/index.ts'] ? 'src/index.ts' : 'src/main.ts';
        paths[project.alias] = [`${project.root}/${entry}`];
      }
    }
    fs.writeFileSync(
      path.join(dir, 'tsconfig.base.json'),
      JSON.stringify({ compilerOptions: { baseUrl: '.', strict: true, paths } }),
    );
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.nx\n');

    // The rule reads the cached project graph; compute it the way `nx lint` does.
    runNx(['show', 'projects'], dir);

    const lint = spawnSync(
      process.execPath,
      [
        path.join(workspaceRoot, 'node_modules/eslint/bin/eslint.js'),
        '--format',
        'json',
        'apps',
        'libs',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    if (!lint.stdout) throw new Error(`eslint produced no report: ${lint.stderr}`);
    for (const result of JSON.parse(lint.stdout) as {
      filePath: string;
      messages: LintMessage[];
    }[]) {
      messagesByFile.set(path.relative(dir, result.filePath), result.messages);
    }
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets an app use its own scope, shared libs, contracts and packages', () => {
    expect(messagesByFile.has('apps/ticket-service/src/allowed-imports.ts')).toBe(true);
    expect(boundaryErrors('apps/ticket-service/src/allowed-imports.ts')).toEqual([]);
  });

  it('forbids one app importing another, by alias or by path', () => {
    expect(boundaryErrors('apps/user-service/src/imports-an-app.ts').join('\n')).toMatch(
      /apps are forbidden/i,
    );
    expect(boundaryErrors('apps/user-service/src/imports-an-app-relatively.ts')).not.toEqual([]);
  });

  it("keeps one service's code out of another's", () => {
    expect(boundaryErrors('libs/ticket/domain/src/imports-another-scope.ts').join('\n')).toMatch(
      /scope:ticket/,
    );
  });

  it('lets libs/contracts depend on nothing: no other project, no package', () => {
    expect(boundaryErrors('libs/contracts/src/imports-a-lib.ts').join('\n')).toMatch(
      /type:contracts/,
    );
    expect(boundaryErrors('libs/contracts/src/imports-a-framework.ts').join('\n')).toMatch(
      /@nestjs\/common/,
    );
  });

  it('keeps the domain free of ORMs and transports', () => {
    expect(boundaryErrors('libs/ticket/domain/src/imports-an-orm.ts').join('\n')).toMatch(
      /typeorm/,
    );
  });

  it('keeps shared libs from depending on a service, and production code from test helpers', () => {
    expect(boundaryErrors('libs/strings/src/imports-a-service-domain.ts')).not.toEqual([]);
    expect(boundaryErrors('apps/user-service/src/imports-test-helpers.ts')).not.toEqual([]);
  });

  it('refuses dependencies from a project without tags', () => {
    expect(boundaryErrors('libs/untagged/src/index.ts').join('\n')).toMatch(/tags/i);
  });
});
