// Every project's jest.config.ts spreads this preset. Nx's own preset targets
// browsers (jsdom); every project here is a Node service or library.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    // content-disposition 3 (pulled in by @fastify/static, which serves the
    // Swagger UI) ships only as ES modules. Node >= 20.19 requires it
    // natively; Jest's module loader cannot, so Jest gets it as CommonJS.
    '/node_modules/content-disposition/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs' }, diagnostics: false },
    ],
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.json',
        // tsconfig.base.json sets isolatedModules, so ts-jest transpiles file
        // by file; type errors are caught once, by the `typecheck` targets.
        diagnostics: false,
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|test|e2e-spec).ts'],
  // Integration tests talk to PostgreSQL, RabbitMQ and NGINX: give them room,
  // but never use a timeout as an assertion.
  testTimeout: 60_000,
};
