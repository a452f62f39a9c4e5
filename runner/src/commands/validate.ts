import { Exit, type CommandContext } from '../cli-support.js';
import { loadTransfer } from '../transfer.js';

/** `ferry validate <transfer.json>`: the transfer and both connector configs, without I/O. */
export async function validateCommand(
  cli: CommandContext,
  file: string,
  json: boolean,
): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  const text = `${file} is valid: ${transfer.name} (${transfer.source.type} → ${transfer.destination.type})`;
  if (json) cli.print(JSON.stringify({ type: 'validation', valid: true, transfer: transfer.name }));
  else cli.terminal.line(text);
  return Exit.ok;
}
