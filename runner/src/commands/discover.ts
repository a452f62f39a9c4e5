import { toFerryError } from '@ferry/core';
import { commandLogger, Exit, type CommandContext } from '../cli-support.js';
import { loadTransfer } from '../transfer.js';

/** `ferry discover <transfer.json>`: prints the source's catalog as JSON on stdout. */
export async function discoverCommand(cli: CommandContext, file: string): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  const ctx = {
    logger: commandLogger(cli).child({ connector: transfer.source.type }),
    signal: AbortSignal.timeout(600_000),
  };
  const catalog = await transfer.source
    .discover(ctx, transfer.sourceConfig)
    .catch((error: unknown) => {
      throw toFerryError(error, `discovering the streams of ${transfer.source.type}`);
    });
  cli.printJson(catalog, 2);
  return Exit.ok;
}
