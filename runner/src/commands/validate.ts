import { errorJson, Exit, type CommandContext } from '../cli-support.js';
import { loadTransfer } from '../transfer.js';

/**
 * `ferry validate <transfer.json>`: the transfer and both connector configs, without I/O. With
 * `--json`, prints `{"type":"validation","valid":…}` also when the transfer is invalid.
 */
export async function validateCommand(
  cli: CommandContext,
  file: string,
  json: boolean,
): Promise<number> {
  try {
    const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
    const route = `${transfer.source.type} → ${transfer.destination.type}`;
    if (json) cli.printJson({ type: 'validation', valid: true, transfer: transfer.name });
    else cli.terminal.line(`${file} is valid: ${transfer.name} (${route})`);
    return Exit.ok;
  } catch (error) {
    if (json) cli.printJson({ type: 'validation', valid: false, error: errorJson(error) });
    throw error;
  }
}
