// webpack-node-externals 3 ships no types; this is the part tools/build uses.
declare module 'webpack-node-externals' {
  import type { ExternalItem } from 'webpack';

  interface NodeExternalsOptions {
    /** The node_modules directory whose packages stay external. */
    modulesDir?: string;
    allowlist?: Array<string | RegExp | ((request: string) => boolean)>;
    importType?: string;
    additionalModuleDirs?: string[];
  }

  function nodeExternals(options?: NodeExternalsOptions): ExternalItem;
  export = nodeExternals;
}
