// @ts-check
/**
 * The webpack configuration for one NestJS app: a single `main.js` for Node,
 * with the workspace's own code (the app and the `@helpdesk/*` libraries it
 * imports through tsconfig paths) inside the bundle and every npm package
 * left outside, required at run time from node_modules.
 *
 * Why packages stay external: Nest, TypeORM and friends `require()` optional
 * integrations lazily (`@nestjs/microservices` transports,
 * `class-transformer/storage`, `@fastify/view`, database drivers). Bundled,
 * each missing one is a build error or a silently broken path; external, they
 * resolve at run time exactly as in development.
 *
 * TypeScript is only transpiled (ts-loader transpileOnly): type errors are the
 * `typecheck` targets' job. Decorator metadata survives because
 * tsconfig.base.json sets emitDecoratorMetadata, which transpilation honours.
 */
const fs = require('node:fs');
const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

const workspaceRoot = path.resolve(__dirname, '../..');

/**
 * @typedef {object} AppBuildOptions
 * @property {string} projectRoot the app's directory (absolute)
 * @property {string} outputPath where main.js goes (absolute)
 * @property {boolean} [production] mode production (no minification either way: Nest uses class names)
 * @property {string} [entry] default <projectRoot>/src/main.ts
 * @property {string} [tsConfig] default <projectRoot>/tsconfig.app.json, else <projectRoot>/tsconfig.json
 */

/**
 * @param {AppBuildOptions} options
 * @returns {import('webpack').Configuration}
 */
function createWebpackConfig({ projectRoot, outputPath, production = false, entry, tsConfig }) {
  const tsConfigFile = tsConfig ?? appTsConfig(projectRoot);
  return {
    name: path.basename(projectRoot),
    mode: production ? 'production' : 'development',
    target: 'node20',
    context: workspaceRoot,
    entry: { main: entry ?? path.join(projectRoot, 'src', 'main.ts') },
    output: {
      path: outputPath,
      filename: '[name].js',
      clean: true,
      // Stack traces (node --enable-source-maps) point at the real sources,
      // relative to the bundle: ../../../apps/<app>/src/...
      devtoolModuleFilenameTemplate: (/** @type {{ absoluteResourcePath: string }} */ info) =>
        path.relative(outputPath, info.absoluteResourcePath).split(path.sep).join('/'),
    },
    devtool: 'source-map',
    externalsPresets: { node: true },
    externals: [nodeExternals({ modulesDir: path.join(workspaceRoot, 'node_modules') })],
    resolve: {
      extensions: ['.ts', '.js', '.json'],
      plugins: [new TsconfigPathsPlugin({ configFile: tsConfigFile, extensions: ['.ts', '.js'] })],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: require.resolve('ts-loader'),
          options: {
            transpileOnly: true,
            configFile: tsConfigFile,
            compilerOptions: { sourceMap: true, declaration: false, noEmit: false },
          },
        },
      ],
    },
    optimization: {
      // Nest reads class names (injection tokens, logs, migrations' fallback
      // names): never mangle them.
      minimize: false,
      // NODE_ENV is decided when the app starts, not when it is built.
      nodeEnv: false,
    },
    // __dirname / __filename are the bundle's own at run time.
    node: { __dirname: false, __filename: false },
    performance: { hints: false },
    infrastructureLogging: { level: 'warn' },
  };
}

/** @param {string} projectRoot */
function appTsConfig(projectRoot) {
  const candidates = [
    path.join(projectRoot, 'tsconfig.app.json'),
    path.join(projectRoot, 'tsconfig.json'),
  ];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`${projectRoot} has neither tsconfig.app.json nor tsconfig.json`);
  return found;
}

module.exports = { createWebpackConfig, workspaceRoot };
