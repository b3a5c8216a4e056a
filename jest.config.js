// Two projects: `unit` (pure logic, fast) and `integration` (loopback fakes, real binaries).
// TypeScript and the ESM-only dependencies (@kubernetes/client-node, middy, Powertools) are
// compiled to CommonJS by esbuild per file; type checking is `npm run typecheck`.
const transform = { '^.+\\.(ts|js|mjs)$': '<rootDir>/test/support/esbuild-transform.js' };
const transformIgnorePatterns = [
  'node_modules/(?!(@kubernetes/client-node|@middy|@aws-lambda-powertools|openid-client|oauth4webapi|jose|hpagent|isomorphic-ws|stream-buffers)/)',
];
const common = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/integration-env.js'],
    },
  ],
};
