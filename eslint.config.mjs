// @ts-check
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * One scope per service. A service's code may use its own scope and the
 * shared libraries — never another service's code. Cross-service knowledge
 * travels only through `type:contracts` (events, DTOs) in `scope:shared`.
 * `tools/generators/service` appends here when it scaffolds a service.
 */
export const serviceScopes = ['user', 'ticket', 'audit', 'notification', 'admin'];

/**
 * Production code never depends on test helpers: no `onlyDependOnLibsWithTags`
 * below lists `type:testing` (only the spec variant adds it). Deliberately not
 * `notDependOnLibsWithTags`, which follows the project graph transitively —
 * and the graph counts spec-file imports, so every app importing a library
 * whose own tests use @helpdesk/testing would be refused.
 */

export const depConstraints = [
  // --- what kind of project may depend on what kind -----------------------
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:contracts',
      'type:util',
    ],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:contracts',
      'type:util',
    ],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util'],
  },
  {
    // The domain model stays free of transports and ORMs.
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'],
    bannedExternalImports: ['@nestjs/microservices', 'amqplib', 'typeorm', 'pg', 'fastify'],
  },
  {
    sourceTag: 'type:util',
    onlyDependOnLibsWithTags: ['type:util', 'type:contracts'],
  },
  {
    // The language the services speak depends on nothing: no other project,
    // no package. Producers and consumers of any stack can share it.
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: [],
    allowedExternalImports: [],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:contracts',
      'type:util',
      'type:testing',
    ],
  },
  {
    // Workspace tooling and the gateway's tests may look at anything but apps.
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: ['*'],
  },
  // --- whose code it is ----------------------------------------------------
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
  ...serviceScopes.map((scope) => ({
    sourceTag: `scope:${scope}`,
    onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
  })),
];

/**
 * Tests may use the test helpers (`type:testing`) on top of whatever the code
 * they test may use; every other rule, scopes included, holds for them too.
 */
export const specDepConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag.startsWith('type:') && !constraint.onlyDependOnLibsWithTags?.includes('*')
    ? {
        ...constraint,
        onlyDependOnLibsWithTags: [
          ...new Set([...(constraint.onlyDependOnLibsWithTags ?? []), 'type:testing']),
        ],
      }
    : constraint,
);

const boundaryOptions = {
  enforceBuildableLibDependency: true,
  banTransitiveDependencies: true,
  checkDynamicDependenciesExceptions: [],
  // The gateway's config renderer is a plain CommonJS script that the
  // platform scripts run by path (node has no TS path aliases).
  allow: [String.raw`^(\.\./)+gateway/gateway(\.js)?$`],
};

const specFiles = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/.run', '**/tmp'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...boundaryOptions, depConstraints }],
    },
  },
  {
    files: specFiles,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...boundaryOptions, depConstraints: specDepConstraints },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Platform scripts are plain CommonJS run by node.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
