/**
 * The stackcheck CLI: `verify`, `explain`, `serve`. Exit codes (docs/cli.md): 0 nothing failing at
 * or above --fail-on; 1 failures or error results; 2 bad usage or configuration; 3 the observed
 * state could not be collected at all.
 */
import { writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { allChecks, findCheck } from '../checks';
import { FAMILIES } from '../checks/types';
import { CollectError, ConfigError, UsageError, describeError } from '../errors';
import { MAX_VALUES_BYTES, mib } from '../expected/limits';
import type { ValueSource } from '../expected/values';
import { FORMATS, formatReport, type Format } from '../report/format';
import { serializeSnapshot } from '../snapshot/load';
import { openStateStore } from '../state';
import { VERSION } from '../version';
import { CLI_NAMES, parseVerifyRequest, verifyWaiting } from '../verify';
import { pushMetrics, redactUrl } from '../adapters/pushgateway';
import { withConfigDefaults, type FlagValues } from '../config/flags';
import { configPath, loadConfigFile } from '../config/load';
import { formatPrometheus } from '../report/format/prometheus';
import { describeAttempt, type Attempt } from '../wait';
import { redactorFor, type Redactor } from '../redact';
import { openLiveSession } from '../collect/index';
import { boundedRun } from './deadline';
import type { Snapshot } from '../snapshot/types';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The terminal's width where stdout/stderr is one (help wraps to it; otherwise to 80 columns). */
  stdoutColumns?: number;
  stderrColumns?: number;
  env: NodeJS.ProcessEnv;
  /** Standard input, read whole (at most `maxBytes`), for `--values -`; only called when asked for. */
  readStdin?: (maxBytes: number) => Promise<string>;
  /** Where `.stackcheck.yaml` is looked for (default: the process's working directory). */
  cwd?: string;
}

const STDIN_FLAGS = '--values - (or --set-file KEY=-)';

/** Reads a stream whole, refusing more than `maxBytes` (exit 2) and a terminal. */
export async function readBoundedStream(
  stream: NodeJS.ReadableStream & { isTTY?: boolean; destroy?: () => void },
  maxBytes: number,
): Promise<string> {
  if (stream.isTTY)
    throw new UsageError(
      `${STDIN_FLAGS}: standard input is a terminal; pipe the values in (envsubst < values.yaml | stackcheck verify --values - …)`,
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) {
      stream.destroy?.();
      throw new ConfigError(`--values -: standard input is larger than the ${mib(maxBytes)} limit`, '-');
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function defaultIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
    stderrColumns: process.stderr.isTTY ? process.stderr.columns : undefined,
    env: process.env,
    readStdin: (maxBytes) => readBoundedStream(process.stdin, maxBytes),
  };
}

const repeat = (v: string, prev: string[]) => [...prev, v];
/** `--checks a --checks b` is `--checks a,b` (each given list is kept, none replaced). */
const joinLists = (v: string, prev: string | undefined) => (prev === undefined ? v : `${prev},${v}`);

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.slice(0, i)))
      throw new UsageError(`--env ${p}: expected NAME=VALUE`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

interface VerifyFlags {
  config?: string;
  verbose?: boolean;
  wait?: string;
  pushgateway?: string;
  snapshot?: string;
  cluster?: string;
  region?: string;
  kubeconfig?: string;
  context?: string;
  values: string[];
  env: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  domain?: string;
  certArn?: string;
  release?: string;
  namespace?: string;
  checks?: string;
  skip?: string;
  prometheusUrl?: string;
  grafanaUrl?: string;
  format?: string;
  output?: string;
  failOn: string;
  record?: string;
  notify?: string;
  notifyAlways?: boolean;
  state?: string;
  quiet?: boolean;
  heartbeatMaxAge?: string;
  timeout?: string;
}

async function runVerify(
  cliFlags: VerifyFlags,
  io: CliIO,
  redactor: Redactor,
  given: (flag: string) => boolean,
): Promise<number> {
  // The config file (--config, else .stackcheck.yaml here): its verify defaults fill the flags not given.
  const configFile = configPath(cliFlags.config, io.cwd ?? process.cwd());
  const config = configFile ? loadConfigFile(configFile) : undefined;
  const flags = config ? withConfigDefaults(cliFlags as VerifyFlags & FlagValues, config.verify, given) : cliFlags;
  const envPairs = parseEnvPairs(flags.env);
  redactor.merge(redactorFor({ env: envPairs }));
  // commander has checked --format and --fail-on against their choices; the rest is the request's.
  const request = parseVerifyRequest(
    {
      snapshot: flags.snapshot,
      cluster: flags.cluster,
      region: flags.region,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      values: flags.values,
      sets: flags.set,
      env: { ...io.env, ...envPairs },
      domain: flags.domain,
      certArn: flags.certArn,
      release: flags.release,
      namespace: flags.namespace,
      prometheusUrl: flags.prometheusUrl,
      grafanaUrl: flags.grafanaUrl,
      heartbeatMaxAge: flags.heartbeatMaxAge,
      checks: flags.checks,
      skip: flags.skip,
      failOn: flags.failOn,
      timeout: flags.timeout,
      wait: flags.wait,
    },
    CLI_NAMES,
  );
  if (config) request.config = config;
  if (flags.pushgateway !== undefined && !/^https?:\/\/[^\s/]+/.test(flags.pushgateway))
    throw new UsageError(`--pushgateway ${redactUrl(flags.pushgateway)}: expected an http(s) URL`);
  const format = flags.format as Format;
  // Given on the command line, --notify-always asks for a notification: without a destination it
  // would do nothing (from a config file, it is only a default for runs that do notify).
  if (given('notifyAlways') && flags.notifyAlways && !flags.notify)
    throw new UsageError(
      '--notify-always needs --notify slack|sns (or notify: in the config file) to know where to send',
    );
  // What is wrong with --notify itself is said before what it needs.
  if (flags.notify) {
    const targets = flags.notify.split(',').map((s) => s.trim());
    const bad = targets.filter((t) => t !== 'slack' && t !== 'sns');
    if (bad.length) throw new UsageError(`--notify: unknown destination ${bad.join(', ')} (known: slack, sns)`);
  }
  if (flags.notify && !flags.state && !flags.notifyAlways) {
    // State is optional for --notify-always, required to detect change otherwise.
    throw new UsageError(
      '--notify needs --state FILE|dynamodb:TABLE to know what was already reported (or use --notify-always)',
    );
  }
  let notifyModule: typeof import('../notify/cli') | undefined;
  if (flags.notify) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      notifyModule = require('../notify/cli');
    } catch {
      throw new UsageError('--notify is not available in this build of stackcheck');
    }
  }

  const env = request.env;
  const valueSources: ValueSource[] = [
    ...flags.values.map((file): ValueSource => ({ kind: 'values', file })),
    ...flags.setJson.map((value): ValueSource => ({ kind: 'set-json', value })),
    ...flags.set.map((value): ValueSource => ({ kind: 'set', value })),
    ...flags.setString.map((value): ValueSource => ({ kind: 'set-string', value })),
    ...flags.setFile.map((value): ValueSource => ({ kind: 'set-file', value })),
    ...flags.setLiteral.map((value): ValueSource => ({ kind: 'set-literal', value })),
  ];
  const wantsStdin = flags.values.some((f) => f.trim() === '-') || flags.setFile.some((s) => /=\s*-\s*(,|$)/.test(s));
  let stdin: string | undefined;
  if (wantsStdin) {
    if (!io.readStdin) throw new UsageError(`${STDIN_FLAGS}: standard input is not available here`);
    stdin = await io.readStdin(MAX_VALUES_BYTES);
  }
  request.valueSources = valueSources;
  if (stdin !== undefined) request.stdin = stdin;
  const progress = !flags.quiet && io.stderrIsTTY;
  if (progress) request.onProgress = (m) => io.stderr(`\r\u001b[2K… ${m}`);
  const store = flags.state ? openStateStore(flags.state) : undefined;
  // --wait: again with backoff until nothing fails at --fail-on; the last attempt is reported.
  const onAttempt = (a: Attempt<unknown>) => {
    if (progress) io.stderr('\r\u001b[2K');
    if (!flags.quiet) io.stderr(`${describeAttempt(a)}\n`);
  };
  const waitSeconds = request.wait ? Math.ceil((request.wait.until - Date.now()) / 1000) : 0;
  const outcome = await boundedRun(
    verifyWaiting(
      request,
      {
        heartbeatStore: store,
        // Imported, not required when needed: a require() would make esbuild wrap the collector and
        // all it imports, which keeps all of client-node's exports (its ~700 model classes, 370 KB,
        // evaluated by every live run). The snapshot bundle has a stub that throws if called
        // (scripts/build-cli.js): --snapshot never loads the AWS or Kubernetes clients.
        openSession: 'target' in request.source ? openLiveSession : undefined,
      },
      onAttempt,
    ),
    // parseVerifyRequest has validated it (default 120 s, as the request's deadline); with --wait, after it.
    Number(flags.timeout ?? 120) + Math.max(0, waitSeconds),
  );
  redactor.merge(outcome.redactor);
  if (progress) io.stderr('\r\u001b[2K');
  if (!flags.quiet) for (const n of outcome.notes) io.stderr(`note: ${n}\n`);
  // The snapshot leaves the process only redacted (--record, the topology of html/markdown).
  const snapshot =
    flags.record || format === 'html' || format === 'markdown' ? redactor.value(outcome.snapshot) : undefined;
  let report = outcome.report;
  let exitCode: number = outcome.exitCode;
  // Before the report is written, so a failed notification is in it (and fails the run).
  if (notifyModule) {
    const n = await notifyModule.notifyFromCli(report, {
      targets: flags.notify,
      always: !!flags.notifyAlways,
      state: flags.state,
      env,
      redactor,
    });
    for (const l of n.lines) io.stderr(`${l}\n`);
    report = { ...report, notification: n.notification };
    if (!n.ok) {
      report.outcome = 'fail';
      exitCode = Math.max(exitCode, 1);
    }
  }
  if (report.noChecksRan) {
    const selection = [flags.checks && `--checks ${flags.checks}`, flags.skip && `--skip ${flags.skip}`]
      .filter(Boolean)
      .join(' ');
    io.stderr(
      `stackcheck: no check ran: ${report.results.length === 0 ? 'no check was selected' : 'every selected check was skipped'}${selection ? ` (${selection})` : ''}; see the report for why\n`,
    );
    exitCode = 2;
  }
  if (flags.record) {
    try {
      writeFileSync(flags.record, serializeSnapshot(snapshot as Snapshot));
    } catch (err) {
      throw new ConfigError(`--record ${flags.record}: cannot write the file: ${describeError(err)}`, flags.record);
    }
  }
  // `--output -` is standard output, as `-` is standard input for --values.
  const outputFile = flags.output === '-' ? undefined : flags.output;
  const color = format === 'text' && !outputFile && io.stdoutIsTTY && !io.env.NO_COLOR;
  const text = formatReport(format as Format, report, {
    snapshot,
    expected: outcome.expected,
    color,
    verbose: !!flags.verbose,
  });
  if (outputFile) {
    try {
      writeFileSync(outputFile, text);
    } catch (err) {
      throw new ConfigError(`--output ${flags.output}: cannot write the file: ${describeError(err)}`, flags.output);
    }
    if (!flags.quiet)
      io.stderr(
        `report written to ${flags.output} (${report.outcome}: ${report.summary.fail} failed, ${report.summary.error} errors)\n`,
      );
  } else io.stdout(text);
  if (flags.pushgateway) {
    try {
      const pushed = await pushMetrics(flags.pushgateway, report.cluster, formatPrometheus(report));
      if (!flags.quiet) io.stderr(`metrics pushed to ${pushed.url}\n`);
    } catch (err) {
      // A failed push is said on stderr but does not change the exit code.
      io.stderr(`stackcheck: --pushgateway: ${describeError(err)}\n`);
    }
  }
  return exitCode;
}

function runExplain(code: string, io: CliIO): number {
  const c = findCheck(code);
  if (!c) {
    io.stderr(`stackcheck: unknown check code ${code}; known codes: ${allChecks.map((x) => x.code).join(', ')}\n`);
    return 2;
  }
  io.stdout(
    [
      `${c.code} — ${c.title}`,
      `family:   ${c.family}`,
      `severity: ${c.severity}`,
      '',
      c.description,
      '',
      `fix: ${c.remediation}`,
      '',
    ].join('\n'),
  );
  return 0;
}

export function buildProgram(
  io: CliIO,
  setResult: (p: Promise<number>) => void,
  redactor: Redactor = redactorFor({ env: io.env }),
): Command {
  const program = new Command('stackcheck')
    .description('Verify and watch a kube-prometheus-stack install on Amazon EKS')
    .version(VERSION, '-V, --version')
    // The help's width is io's, not the process's terminal (commander's default reads process.stdout).
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      getOutHelpWidth: () => (io.stdoutIsTTY && io.stdoutColumns) || 80,
      getErrHelpWidth: () => (io.stderrIsTTY && io.stderrColumns) || 80,
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('verify')
    .description('Compare the observed stack with the expected state and report findings')
    .option('--config <file>', 'config file: mutes, overrides, defaults for these flags (default ./.stackcheck.yaml)')
    .option('--snapshot <file>', 'replay a recorded snapshot (written by --record)')
    .option('--cluster <name>', 'live: the EKS cluster (DescribeCluster + IAM token)')
    .option('--region <region>', 'AWS region (default: the SDK configuration)')
    .option('--kubeconfig <file>', 'live: Kubernetes through a kubeconfig (AWS part still live)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '-f, --values <file>',
      "Helm -f/--values: a values file, merged in order; '-' reads standard input (once, taken as is); ${VAR} substituted from the environment in files named by a path; repeatable",
      repeat,
      [],
    )
    .option('--env <NAME=VALUE>', 'variable for substitution in values files, repeatable', repeat, [])
    .option(
      '--set <path=value>',
      'Helm --set: a.b=c,list[0]=x,l={a,b}; true/false/null (any case) and whole numbers are typed, null deletes a default; repeatable',
      repeat,
      [],
    )
    .option('--set-string <path=value>', 'Helm --set-string: as --set, every value a string; repeatable', repeat, [])
    .option('--set-json <path=json>', 'Helm --set-json: values are JSON, a={"b":1},c=[1,2]; repeatable', repeat, [])
    .option(
      '--set-file <path=file>',
      "Helm --set-file: the value is the file's text ('-' reads standard input); repeatable",
      repeat,
      [],
    )
    .option(
      '--set-literal <path=value>',
      'Helm --set-literal: one key, the rest of the argument is the value as is; repeatable',
      repeat,
      [],
    )
    .option('--domain <domain>', 'hosts are prometheus.<domain> and grafana.<domain>')
    .option('--cert-arn <arn>', 'the ACM certificate the ALB should use')
    .option('--release <name>', 'Helm release name (default kube-prometheus-stack)')
    .option('--namespace <ns>', 'namespace (default monitoring)')
    .option('--checks <families>', `only these families: ${FAMILIES.join(',')} (repeatable)`, joinLists)
    .option('--skip <families>', 'skip these families (repeatable)', joinLists)
    .option('--prometheus-url <url>', 'Prometheus URL (default https://prometheus.<domain>)')
    .option('--grafana-url <url>', 'Grafana URL (default https://grafana.<domain>)')
    .option('--heartbeat-max-age <seconds>', 'Watchdog heartbeat age that fails the heartbeat check (default 600)')
    .addOption(new Option('-o, --format <format>', 'report format').choices([...FORMATS]).default('text'))
    .option('-v, --verbose', 'text report: list the passing results too')
    .option('--output <file>', "write the report to a file instead of stdout ('-': stdout)")
    .addOption(
      new Option('--fail-on <severity>', 'which failures make the exit code 1')
        .choices(['critical', 'warning', 'never'])
        .default('critical'),
    )
    .option('--record <file>', 'write the observed snapshot to a file')
    .option('--notify <targets>', 'send the report to slack,sns when the state changed')
    .option('--notify-always', 'with --notify: send the report even when nothing changed')
    .option('--state <store>', 'where the last results are kept: FILE or dynamodb:TABLE')
    .option('--timeout <seconds>', 'deadline for a live collection (default 120)')
    .option('--wait <duration>', 're-check with backoff until nothing fails at --fail-on, up to DURATION (90s, 5m)')
    .option('--pushgateway <url>', 'also push the results as Prometheus metrics to this Pushgateway')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .addHelpText(
      'after',
      '\nValues, later wins (as Helm): the chart defaults, -f/--values files in order, then --set-json, --set, --set-string, --set-file, --set-literal (each in the order given). Inputs over 32 MiB are refused (exit 2).\n\nExit codes: 0 nothing failing at or above --fail-on (always with --fail-on never); 1 failures, error results or a failed --notify; 2 bad usage or configuration, or no check ran; 3 nothing could be collected.\nMuted results (config file) never count. Flags win over the config file.\n\nExample:\n  stackcheck verify --snapshot examples/healthy-snapshot.json --values examples/monitor-values.yaml --env MyDomain=example.com --env CERT_ARN=arn:aws:acm:…\n  envsubst < monitor-values.yaml | stackcheck verify --cluster myeks -f - --set prometheus.prometheusSpec.scrapeInterval=15s\n',
    )
    .action((flags: VerifyFlags, cmd: Command) =>
      setResult(runVerify(flags, io, redactor, (k) => ['cli', 'env'].includes(cmd.getOptionValueSource(k) as string))),
    );

  program
    .command('explain')
    .description('Explain a check code: what it verifies and how to fix it')
    .argument('<code>', 'check code, e.g. ALB003')
    .action((code: string) => setResult(Promise.resolve(runExplain(code, io))));

  program
    .command('serve')
    .description('Serve the HTTP Lambda handlers (Alertmanager webhook) on 127.0.0.1')
    .requiredOption('--port <port>', 'port to listen on')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--state <store>', 'idempotency/heartbeat store: FILE or dynamodb:TABLE (default: memory)')
    .option(
      '--dedup-window <seconds>',
      'a notification seen again within this many seconds of its delivery is a retry and is not posted again (default 300, or ALERTMANAGER_DEDUP_WINDOW_SECONDS)',
    )
    .action((flags: { port: string; host: string; state?: string; dedupWindow?: string }) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port ${flags.port}: expected a port number`);
      let serve: typeof import('./serve');
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        serve = require('./serve');
      } catch {
        throw new UsageError('serve is not available in this build of stackcheck');
      }
      setResult(serve.serveCommand({ port, host: flags.host, state: flags.state, dedupWindow: flags.dedupWindow }));
    });
  return program;
}

export async function main(argv: string[], rawIo: CliIO = defaultIO()): Promise<number> {
  // Every line on stderr (notes, errors, notify lines) goes through the run's redactor, which
  // learns the secrets of --env, the values and --set as the run reads them.
  const redactor = redactorFor({ env: rawIo.env });
  const io: CliIO = { ...rawIo, stderr: (s) => rawIo.stderr(redactor.text(s)) };
  let result: Promise<number> | undefined;
  const program = buildProgram(
    io,
    (p) => {
      result = p;
    },
    redactor,
  );
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return result ? await result : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0;
      return 2; // commander already printed the message
    }
    const debug = io.env.STACKCHECK_DEBUG === '1';
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`stackcheck: ${err.message}\n`);
      if (debug && err.stack) io.stderr(`${err.stack}\n`);
      return 2;
    }
    if (err instanceof CollectError) {
      io.stderr(`stackcheck: could not collect the observed state from ${err.source}: ${err.message}\n`);
      if (debug && err.stack) io.stderr(`${err.stack}\n`);
      return 3;
    }
    io.stderr(`stackcheck: internal error: ${describeError(err)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}
