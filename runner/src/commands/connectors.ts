import { Exit, type CommandContext } from '../cli-support.js';

/** `ferry connectors`: lists installed connectors with their roles and capabilities. */
export function connectorsCommand(cli: CommandContext, json: boolean): number {
  const entries = cli.registry.list().map((e) => ({
    type: e.type,
    title: e.title,
    summary: e.summary,
    roles: [e.source && 'source', e.destination && 'destination'].filter(Boolean),
    ...(e.source === undefined ? {} : { source: e.source.capabilities }),
    ...(e.destination === undefined ? {} : { destination: e.destination.capabilities }),
  }));
  if (json) {
    cli.printJson(entries, 2);
    return Exit.ok;
  }
  for (const e of entries) {
    cli.print(`${e.type.padEnd(14)} ${e.roles.join(', ').padEnd(20)} ${e.summary}`);
    if (e.source !== undefined)
      cli.print(`${''.padEnd(14)}   source sync modes: ${e.source.syncModes.join(', ')}`);
    if (e.destination !== undefined) {
      const d = e.destination;
      cli.print(
        `${''.padEnd(14)}   destination write modes: ${d.writeModes.join(', ')}; formats: ${d.formats.join(', ')}; layouts: ${d.layouts.join(', ')}`,
      );
    }
  }
  return Exit.ok;
}
