import { ConfigError } from '@ferry/core';
import { Exit, type CommandContext } from '../cli-support.js';

/** Which role's schema `ferry spec` prints when a type has both. */
export type SpecRole = 'source' | 'destination' | undefined;

/**
 * `ferry spec <type>`: prints the connector's config JSON Schema. `type` is a built-in type, or
 * the package name or short type of a connector package installed in the working directory (or
 * an ancestor). A type with both roles prints `{"source": ..., "destination": ...}` unless
 * `--source` or `--destination` picks one.
 * @throws ConfigError when no connector has that type, its package cannot be loaded, or it lacks
 *   the chosen role.
 */
export async function specCommand(
  cli: CommandContext,
  type: string,
  role: SpecRole,
): Promise<number> {
  const entry = await cli.registry.entry(type);
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
