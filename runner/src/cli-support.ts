import { isFerryError, Redactor, type FerryError } from '@ferry/core';
import { errnoCode } from '@ferry/storage';
import { levelFromEnv, terminalLogger } from './logger.js';
import { builtinRegistry, type Registry } from './registry.js';
import { Terminal } from './terminal.js';

/** Exit codes of the CLI (see CONTRACTS.md). */
export const Exit = { ok: 0, failed: 1, usage: 2, checkFailed: 3 } as const;

/** What every command gets: output channels, the registry, and a redactor for secrets. */
export interface CommandContext {
  readonly registry: Registry;
  readonly redactor: Redactor;
  readonly terminal: Terminal;
  /** Writes one line of text to stdout (redacted). */
  readonly print: (text: string) => void;
  /** Writes a value as JSON to stdout, every string in it redacted first. */
  readonly printJson: (value: unknown, indent?: number) => void;
}

/**
 * Builds the context of one CLI invocation. Nothing is read yet: the registry finds the built-in
 * connectors and the connector packages installed beside a transfer file (or in the working
 * directory) on first use, and imports only those a command needs.
 */
export function commandContext(): CommandContext {
  const redactor = new Redactor();
  return {
    registry: builtinRegistry(),
    redactor,
    terminal: new Terminal(process.stderr, redactor),
    print: (text) => process.stdout.write(redactor.redact(text) + '\n'),
    printJson: (value, indent) => process.stdout.write(toJson(value, { redactor, indent }) + '\n'),
  };
}

/**
 * Lets the reader of `stream` go away early (`ferry connectors | head -1`) without a crash: an
 * EPIPE means nobody reads what is left to print, so it is dropped and the command goes on to its
 * own end and exit code (a run is not cut short because its output is no longer wanted). Any
 * other error of the stream is thrown as before. For the process's own stdout and stderr, once:
 * the `ferry` executable calls it, not {@link commandContext}, which programs may call repeatedly.
 */
export function dropOutputWhenClosed(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: unknown) => {
    if (errnoCode(error) === 'EPIPE') return;
    throw error;
  });
}

/** A logger for a command, honouring `FERRY_LOG_LEVEL`. */
export function commandLogger(cli: CommandContext): ReturnType<typeof terminalLogger> {
  return terminalLogger(cli.terminal, levelFromEnv());
}

/** The exit code for an error: 2 for config errors, 1 for the rest. */
export function exitCodeFor(error: unknown): number {
  return isFerryError(error) && error.code === 'config' ? Exit.usage : Exit.failed;
}

/**
 * Prints an error for humans: ferry errors as their message (no stack: they are expected);
 * anything else as a bug, with the stack only when `FERRY_LOG_LEVEL=debug`.
 */
export function reportError(cli: CommandContext, error: unknown): void {
  if (isFerryError(error) && error.code !== 'internal') {
    cli.terminal.line(`error: ${error.message}`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  cli.terminal.line(`error: ${message}`);
  if (levelFromEnv() === 'debug' && error instanceof Error && error.stack !== undefined) {
    cli.terminal.line(error.stack);
  } else {
    cli.terminal.line(
      'This looks like a bug in ferry or a connector; FERRY_LOG_LEVEL=debug shows details.',
    );
  }
}

/** The `{code, message}` of an error for JSON output. */
export function errorJson(error: unknown): { code: FerryError['code']; message: string } {
  const code = isFerryError(error) ? error.code : 'internal';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/**
 * JSON text of a value: bigint as a number, and with a redactor, every string redacted before it
 * is escaped (so a secret with quotes or backslashes is still found, and numbers are never touched).
 */
export function toJson(
  value: unknown,
  options: { readonly redactor?: Redactor; readonly indent?: number | undefined } = {},
): string {
  const { redactor, indent } = options;
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'string' && redactor !== undefined) return redactor.redact(v);
    return v;
  };
  return JSON.stringify(value, replacer, indent);
}
