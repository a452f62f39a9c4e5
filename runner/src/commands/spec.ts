import { ConfigError } from '@ferry/core';
import { Exit, type CommandContext } from '../cli-support.js';

/** Which role's schema `ferry spec` prints when a type has both. */
export type SpecRole = 'source' | 'destination' | undefined;

/**
 * `ferry spec <type>`: prints the connector's config JSON Schema. A type with both roles prints
 * `{"source": ..., "destination": ...}` unless `--source` or `--destination` picks one.
 */
export function specCommand(cli: CommandContext, type: string, role: SpecRole): number {
  const entry = cli.registry.get(type);
  if (entry === undefined) {
    const known = cli.registry
      .list()
      .map((e) => e.type)
      .join(', ');
    throw new ConfigError({
      pointer: '',
      message: `no connector "${type}" is installed (available: ${known})`,
    });
  }
  const schemas = {
    ...(entry.source === undefined ? {} : { source: entry.source.configSchema }),
    ...(entry.destination === undefined ? {} : { destination: entry.destination.configSchema }),
  };
  if (role !== undefined) {
    const schema = schemas[role];
    if (schema === undefined) {
      throw new ConfigError({ pointer: '', message: `connector "${type}" has no ${role}` });
    }
    cli.printJson(schema, 2);
    return Exit.ok;
  }
  const only = Object.values(schemas);
  cli.printJson(only.length === 1 ? only[0] : schemas, 2);
  return Exit.ok;
}
