/**
 * esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`, the benchmark
 * and the bundle test use the same list).
 *
 * - client-node-pure: @kubernetes/client-node declares no `sideEffects`, so esbuild keeps every
 *   module its index reaches, including the ~700 generated model classes (their static fields are
 *   assigned at module level) that stackcheck never uses. Its modules only define classes and
 *   functions: marking them side-effect free lets tree shaking drop what is not imported.
 * - whatwg-url-node: node-fetch 2 (client-node's HTTP client) takes `require('url').URL` and only
 *   falls back to the `whatwg-url` package (with its 250 KB Unicode table) on Node < 10. On Node
 *   the fallback is never used: the bundle gets Node's own URL instead.
 */
'use strict';

const clientNodePure = {
  name: 'client-node-pure',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'client-node-pure') return undefined;
      const inside = args.importer.includes('/@kubernetes/client-node/');
      if (!inside && !args.path.startsWith('@kubernetes/client-node')) return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'client-node-pure',
      });
      if (result.errors.length > 0) return { errors: result.errors };
      return result.path.includes('/@kubernetes/client-node/dist/') ? { ...result, sideEffects: false } : result;
    });
  },
};

const whatwgUrlNode = {
  name: 'whatwg-url-node',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'whatwg-url-node' }));
    build.onLoad({ filter: /.*/, namespace: 'whatwg-url-node' }, () => ({
      contents: 'exports.URL = URL; exports.URLSearchParams = URLSearchParams;',
      loader: 'js',
    }));
  },
};

module.exports = [clientNodePure, whatwgUrlNode];
