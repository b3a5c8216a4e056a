/**
 * The lab's loopback fakes (AWS and the Kubernetes API) in their own process, for timing the CLI
 * as a whole process: `node scripts/run-ts.js bench/lab-server.ts ENV_FILE [NODES]` writes the
 * environment the CLI needs (AWS_ENDPOINT_URL_*, credentials, region) to ENV_FILE as KEY=VALUE
 * lines and serves until it is stopped (SIGTERM or SIGINT).
 */
import { writeFileSync } from 'node:fs';
import { startLabFakes } from '../test/support/fakes/lab';

async function main() {
  const [file, nodes] = process.argv.slice(2);
  if (!file) throw new Error('usage: lab-server.ts ENV_FILE [NODES]');
  const lab = await startLabFakes({ nodes: Number(nodes ?? 3) });
  lab.kube.cacheJson = true;
  writeFileSync(
    file,
    Object.entries(lab.env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const stop = () => void lab.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((err) => {
  process.stderr.write(`lab-server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
