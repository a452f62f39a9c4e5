import { TransientError, toFerryError } from '@ferry/core';
import { commandLogger, errorJson, Exit, type CommandContext } from '../cli-support.js';
import { discoverCatalog } from '../connector-calls.js';
import { runTransfer } from '../engine.js';
import { progressLine, summary } from '../format.js';
import type { RunReport } from '../report.js';
import { FileStateStore } from '../state-store.js';
import { planStreams } from '../streams.js';
import { loadTransfer, type Transfer } from '../transfer.js';

/** Options of `ferry run`. */
export interface RunCommandOptions {
  readonly stateDir: string;
  readonly json: boolean;
  readonly dryRun: boolean;
}

/**
 * `ferry run <transfer.json>`: runs the transfer once. Progress and the summary go to stderr;
 * with `--json`, one JSON object per line goes to stdout, the run report last (also when the run
 * fails before it starts).
 */
export async function runCommand(
  cli: CommandContext,
  file: string,
  options: RunCommandOptions,
): Promise<number> {
  let transfer: Transfer | undefined;
  try {
    transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
    if (options.dryRun) return await dryRun(cli, transfer, options.json);
    const report = await runWithProgress(cli, transfer, options);
    for (const line of summary(report)) cli.terminal.line(line);
    if (report.error !== undefined) cli.terminal.line(`error: ${report.error.message}`);
    if (options.json) cli.printJson(report);
    if (report.status === 'succeeded') return Exit.ok;
    return report.error?.code === 'config' ? Exit.usage : Exit.failed;
  } catch (error) {
    if (options.json) cli.printJson(failedReport({ file, transfer, error }));
    throw error;
  }
}

/** Runs the transfer with a live status line and SIGINT/SIGTERM handling. */
async function runWithProgress(
  cli: CommandContext,
  transfer: Transfer,
  options: RunCommandOptions,
): Promise<RunReport> {
  const interrupt = onSignals();
  const started = Date.now();
  let live: RunReport | undefined;
  const timer = setInterval(() => {
    if (live !== undefined) cli.terminal.status(progressLine(live, Date.now() - started));
  }, 250);
  try {
    return await runTransfer({
      transfer,
      stateStore: new FileStateStore(options.stateDir),
      logger: commandLogger(cli),
      signal: interrupt.signal,
      onStart: (report) => (live = report),
      onEvent: (event) => {
        if (options.json) cli.printJson(event);
        else if (event.type === 'stream' && event.status === 'failed') {
          cli.terminal.line(`stream ${event.stream} failed`);
        }
      },
    });
  } finally {
    clearInterval(timer);
    cli.terminal.done();
    interrupt.dispose();
  }
}

/** A report for a run that failed before it started (bad file, lock, discover, stream plan). */
function failedReport(at: {
  file: string;
  transfer: Transfer | undefined;
  error: unknown;
}): RunReport {
  const now = new Date().toISOString();
  return {
    type: 'report',
    status: 'failed',
    transfer: at.transfer?.name ?? at.file,
    run_id: null,
    batch_id: null,
    worker_id: null,
    started_at: now,
    finished_at: now,
    duration_ms: 0,
    source: at.transfer?.source.type ?? '',
    destination: at.transfer?.destination.type ?? '',
    streams: {},
    error: errorJson(toFerryError(at.error, 'starting the run')),
  };
}

/** Plans the run (validates, discovers, picks streams) and prints the plan; writes nothing. */
async function dryRun(cli: CommandContext, transfer: Transfer, json: boolean): Promise<number> {
  const ctx = { logger: commandLogger(cli), signal: AbortSignal.timeout(600_000) };
  const streams = planStreams(transfer, await discoverCatalog(transfer, ctx));
  const plan = streams.map((s) => ({
    name: s.name,
    sync_mode: s.syncMode,
    write_mode: s.writeMode,
    ...(s.cursorField === undefined ? {} : { cursor_field: s.cursorField }),
  }));
  if (json) {
    cli.printJson({ type: 'plan', transfer: transfer.name, streams: plan });
    return Exit.ok;
  }
  const route = `${transfer.source.type} → ${transfer.destination.type}`;
  cli.terminal.line(`dry run of ${transfer.name}: ${route}, nothing written`);
  for (const s of plan) {
    const cursor = s.cursor_field === undefined ? '' : `  cursor ${s.cursor_field}`;
    cli.terminal.line(`  ${s.name.padEnd(24)} ${s.sync_mode.padEnd(13)} ${s.write_mode}${cursor}`);
  }
  return Exit.ok;
}

/** SIGINT/SIGTERM cancel the run (acknowledged progress is kept); a second one exits at once. */
function onSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new TransientError(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
