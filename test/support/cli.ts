/** Running the CLI's main() in process, as the unit tests of lib/cli do, on the bundled examples. */
import { join } from 'node:path';
import { main, type CliIO } from '../../lib/cli/main';
import { LAB_CERT_ARN } from './factories/expected';

export const ROOT = join(__dirname, '../..');
export const HEALTHY_EXAMPLE = join(ROOT, 'examples/healthy-snapshot.json');
export const DRIFTED_EXAMPLE = join(ROOT, 'examples/drifted-snapshot.json');
export const LAB_VALUES_FILE = join(ROOT, 'examples/monitor-values.yaml');

/** The lab's values file and --set flags, with the variables it was installed with (`npm start`'s). */
export const LAB_VALUES_ARGS = [
  '--values',
  LAB_VALUES_FILE,
  '--env',
  'MyDomain=example.com',
  '--env',
  `CERT_ARN=${LAB_CERT_ARN}`,
  '--set',
  'prometheus.prometheusSpec.scrapeInterval=15s',
  '--set',
  'prometheus.prometheusSpec.evaluationInterval=15s',
];

/** main(args) with captured output; `stdin` is what `-f -` reads, `stdinReads` how often it was. */
export async function runMain(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {},
): Promise<{ code: number; out: string; err: string; stdinReads: number }> {
  let out = '';
  let err = '';
  let stdinReads = 0;
  const io: CliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: opts.env ?? {},
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.stdin !== undefined
      ? {
          readStdin: async () => {
            stdinReads++;
            return opts.stdin as string;
          },
        }
      : {}),
  };
  const code = await main(args, io);
  return { code, out, err, stdinReads };
}
