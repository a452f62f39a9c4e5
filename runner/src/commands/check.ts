import type { CheckResult, Context } from '@ferry/core';
import { commandLogger, Exit, type CommandContext } from '../cli-support.js';
import { connectorError } from '../connector-calls.js';
import { loadTransfer, type Transfer } from '../transfer.js';

/**
 * `ferry check <transfer.json>`: tests the source's and the destination's connections. Exits 3
 * when either check fails, 2 when a connector finds its config invalid.
 */
export async function checkCommand(
  cli: CommandContext,
  file: string,
  json: boolean,
): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  const [source, destination] = await Promise.all([
    check(cli, transfer, 'source'),
    check(cli, transfer, 'destination'),
  ]);
  const ok = source.ok && destination.ok;
  if (json) cli.printJson({ type: 'check', ok, source, destination });
  for (const [role, result] of [
    ['source', source],
    ['destination', destination],
  ] as const) {
    const type = transfer[role].type;
    cli.terminal.line(
      result.ok ? `${role} ${type}: ok` : `${role} ${type}: FAILED: ${result.error}`,
    );
  }
  return ok ? Exit.ok : Exit.checkFailed;
}

/**
 * Runs one connector's check. An expected error thrown instead of returned still gives a failed
 * result; a ConfigError is rethrown with its place in the transfer file.
 */
async function check(
  cli: CommandContext,
  transfer: Transfer,
  role: 'source' | 'destination',
): Promise<CheckResult> {
  const connector = transfer[role];
  const ctx: Context = {
    logger: commandLogger(cli).child({ connector: connector.type }),
    signal: AbortSignal.timeout(120_000),
  };
  const config = role === 'source' ? transfer.sourceConfig : transfer.destinationConfig;
  try {
    return await connector.check(ctx, config);
  } catch (error) {
    const failure = connectorError(error, { transfer, role, doing: `checking ${connector.type}` });
    if (failure.code === 'config' || failure.code === 'internal') throw failure;
    return { ok: false, error: failure.message };
  }
}
