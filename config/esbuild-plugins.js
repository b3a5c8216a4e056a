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
 * - client-node-eks-only (Lambda only: scripts/build-cli.js leaves it out, the CLI reads
 *   kubeconfigs): the functions reach EKS with a KubeConfig built from DescribeCluster and a token
 *   (lib/adapters/kube.ts kubeConfigForEks), never from a kubeconfig file. What client-node uses
 *   only for a kubeconfig's users and clusters (openid-client and jsonpath-plus for the OIDC and
 *   gcp/azure auth providers, socks-proxy-agent for a SOCKS proxy-url) is replaced by functions
 *   that throw: ~140 KB less for every cold start to compile. (js-yaml, which client-node reads
 *   kubeconfigs with, stays: lib/checks/drift.ts uses it too.) The same goes for what client-node
 *   runs processes with (node:child_process: the exec credential plugins, the azure and gcp
 *   auth providers' commands, WSL kubeconfig paths; loading it also loads node:dgram) and for
 *   node-fetch (the generated API classes' HTTP library and applyToFetchOptions, which Watch uses;
 *   lib/adapters/kube.ts sends its requests with node:https): the authenticators stay, so a user
 *   entry of another kind is still recognised, and fails with this message if it is ever used.
 */
'use strict';

const KUBECONFIG_ONLY = {
  'openid-client': 'export const refreshTokenGrant = fail;',
  'jsonpath-plus': 'export const JSONPath = fail;',
  'socks-proxy-agent': 'export class SocksProxyAgent { constructor() { fail(); } }',
  // ExecAuth reads `spawn` when a KubeConfig is made; azure/gcp call execSync, config.js spawnSync.
  'node:child_process':
    'export const spawn = fail, spawnSync = fail, exec = fail, execSync = fail, execFile = fail, execFileSync = fail;\n' +
    'export default { spawn, spawnSync, exec, execSync, execFile, execFileSync };',
  // client-node's index re-exports its error classes: nothing in the bundle can throw them.
  'node-fetch':
    'export default fail; export class Headers { constructor() { fail(); } }\n' +
    'export class AbortError extends Error {} export class FetchError extends Error {}',
};
const clientNodeEksOnly = {
  name: 'client-node-eks-only',
  setup(build) {
    const names = Object.keys(KUBECONFIG_ONLY);
    const filter = new RegExp(`^(${names.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.importer.includes('/@kubernetes/client-node/') ? { path: args.path, namespace: 'eks-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'eks-only' }, (args) => ({
      loader: 'js',
      contents: `function fail() { throw new Error(${JSON.stringify(`${args.path} is not in the Lambda bundle: the functions reach EKS with a token, not through a kubeconfig`)}); }\n${KUBECONFIG_ONLY[args.path]}`,
    }));
  },
};

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

// client-node-eks-only first: client-node-pure resolves every import made inside client-node.
module.exports = [clientNodeEksOnly, clientNodePure, whatwgUrlNode];
