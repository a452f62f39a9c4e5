import { TransientError, toFerryError } from '@ferry/core';
import { commandLogger, errorJson, Exit, type CommandContext } from '../cli-support.js';
import { runTransfer } from '../engine.js';
import { progressLine, summary } from '../format.js';
import type { RunEvent } from '../pipeline.js';
import type { RunReport } from '../report.js';
import { FileStateStore } from '../state-store.js';
import { configureStreams } from '../streams.js';
import { loadTransfer, type Transfer } from '../transfer.js';

/** Options of `ferry run`. */
export interface RunCommandOptions {
  readonly stateDir: string;
  readonly json: boolean;
  readonly dryRun: boolean;
}

/**
 * `ferry run <transfer.json>`: runs the transfer once. Progress and the summary go to stderr;
 * with `--json`, one JSON object per line goes to stdout, the run report last.
 */
export async function runCommand(
  cli: CommandContext,
  file: string,
  options: RunCommandOptions,
): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  if (options.dryRun) return dryRun(cli, transfer, options.json);
  const interrupt = onSignals();
  const started = Date.now();
  let live: RunReport | undefined;
  const timer = setInterval(() => {
    if (live !== undefined) cli.terminal.status(progressLine(live, Date.now() - started));
  }, 250);
  try {
    const report = await runTransfer({
      transfer,
      stateStore: new FileStateStore(options.stateDir),
      logger: commandLogger(cli),
      signal: interrupt.signal,
      onStart: (r) => (live = r),
      onEvent: (event) => {
        if (options.json) cli.print(JSON.stringify(event));
        else if (event.type === 'stream' && event.status === 'failed')
          cli.terminal.line(streamFailed(event));
      },
    });
    cli.terminal.done();
    for (const line of summary(report)) cli.terminal.line(line);
    if (report.error !== undefined) cli.terminal.line(`error: ${report.error.message}`);
    if (options.json) cli.print(JSON.stringify(report));
    if (report.status === 'succeeded') return Exit.ok;
    return report.error?.code === 'config' ? Exit.usage : Exit.failed;
  } catch (error) {
    cli.terminal.done();
    if (options.json) cli.print(JSON.stringify(failedReport(cli, transfer, error)));
    throw error;
  } finally {
    clearInterval(timer);
    interrupt.dispose();
  }
}

function streamFailed(event: Extract<RunEvent, { type: 'stream' }>): string {
  return `stream ${event.stream} failed`;
}

/** A report for a run that failed before it started (lock, discover, stream plan). */
function failedReport(cli: CommandContext, transfer: Transfer, error: unknown): RunReport {
  return {
    type: 'report',
    status: 'failed',
    transfer: transfer.name,
    run_id: null,
    batch_id: null,
    worker_id: null,
    started_at: new Date().toISOString(),
    finished_at: new Date().toISOString(),
    duration_ms: 0,
    source: transfer.source.type,
    destination: transfer.destination.type,
    streams: {},
    error: errorJson(cli, toFerryError(error, 'starting the run')),
  };
}

/** Plans the run (validates, discovers, picks streams) and prints the plan; writes nothing. */
async function dryRun(cli: CommandContext, transfer: Transfer, json: boolean): Promise<number> {
  const ctx = { logger: commandLogger(cli), signal: AbortSignal.timeout(600_000) };
  const catalog = await transfer.source.discover(ctx, transfer.sourceConfig);
  const streams = configureStreams({
    catalog,
    selections: transfer.streams,
    destination: transfer.destination.capabilities,
    tenant: transfer.tenant,
  });
  const plan = streams.map((s) => ({
    name: s.name,
    sync_mode: s.syncMode,
    write_mode: s.writeMode,
    ...(s.cursorField === undefined ? {} : { cursor_field: s.cursorField }),
  }));
  if (json) {
    cli.print(JSON.stringify({ type: 'plan', transfer: transfer.name, streams: plan }));
    return Exit.ok;
  }
  cli.terminal.line(
    `dry run of ${transfer.name}: ${transfer.source.type} → ${transfer.destination.type}, nothing written`,
  );
  for (const s of plan) {
    cli.terminal.line(
      `  ${s.name.padEnd(24)} ${s.sync_mode.padEnd(13)} ${s.write_mode}${s.cursor_field === undefined ? '' : `  cursor ${s.cursor_field}`}`,
    );
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
