import { isFerryError, type CheckResult, type Context } from '@ferry/core';
import { commandLogger, Exit, type CommandContext } from '../cli-support.js';
import { loadTransfer } from '../transfer.js';

/** `ferry check <transfer.json>`: tests the source's and the destination's connections. */
export async function checkCommand(
  cli: CommandContext,
  file: string,
  json: boolean,
): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  const logger = commandLogger(cli);
  const ctx = (type: string): Context => ({
    logger: logger.child({ connector: type }),
    signal: AbortSignal.timeout(120_000),
  });
  const [source, destination] = await Promise.all([
    guard(() => transfer.source.check(ctx(transfer.source.type), transfer.sourceConfig)),
    guard(() =>
      transfer.destination.check(ctx(transfer.destination.type), transfer.destinationConfig),
    ),
  ]);
  const results = { source, destination };
  if (json) {
    cli.print(JSON.stringify({ type: 'check', ok: source.ok && destination.ok, ...results }));
  } else {
    for (const [role, result] of Object.entries(results)) {
      const type = role === 'source' ? transfer.source.type : transfer.destination.type;
      cli.terminal.line(
        result.ok ? `${role} ${type}: ok` : `${role} ${type}: FAILED: ${result.error}`,
      );
    }
  }
  return source.ok && destination.ok ? Exit.ok : Exit.checkFailed;
}

/** A connector that throws an expected error from `check` still gets a failed result. */
async function guard(check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    if (isFerryError(error) && error.code !== 'internal')
      return { ok: false, error: error.message };
    throw error;
  }
}
