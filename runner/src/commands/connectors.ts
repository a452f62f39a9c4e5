import type { DestinationCapabilities, SourceCapabilities } from '@ferry/core';
import { Exit, type CommandContext } from '../cli-support.js';
import { rolesOf } from '../plugins-entry.js';
import type { ConnectorListing } from '../registry.js';

/** One connector in the output of `ferry connectors --json`. */
interface ConnectorJson {
  readonly type: string;
  readonly title?: string;
  readonly summary?: string;
  readonly roles: readonly string[];
  /** `builtin` or `installed`. */
  readonly origin: string;
  readonly package?: string;
  readonly version?: string;
  readonly path?: string;
  /** The package a transfer gets under this short type instead (name this one by its package). */
  readonly shadowed_by?: string;
  /** The other packages declaring this short type, which then names none of them. */
  readonly ambiguous_with?: readonly string[];
  /** Why this connector cannot be used. */
  readonly error?: string;
  readonly source?: SourceCapabilities;
  readonly destination?: DestinationCapabilities;
}

/**
 * `ferry connectors`: lists the built-in connectors and the connector packages installed in the
 * working directory (or an ancestor), with their roles, origin and capabilities. A package that
 * cannot be used is listed with the reason. Unlike a transfer's lookups, it imports every
 * installed connector package (running its code): roles and capabilities are only known so.
 */
export async function connectorsCommand(cli: CommandContext, json: boolean): Promise<number> {
  const entries = (await cli.registry.list()).map(toJson);
  if (json) {
    cli.printJson(entries, 2);
    return Exit.ok;
  }
  const typeWidth = Math.max(14, ...entries.map((e) => e.type.length));
  const originWidth = Math.max(10, ...entries.map((e) => originText(e).length));
  const indent = ''.padEnd(typeWidth);
  for (const e of entries) {
    const about = e.summary ?? 'cannot be used';
    cli.print(
      `${e.type.padEnd(typeWidth)} ${e.roles.join(', ').padEnd(20)} ${originText(e).padEnd(originWidth)} ${about}`,
    );
    for (const line of detailLines(e)) cli.print(`${indent}   ${line}`);
  }
  return Exit.ok;
}

function toJson(listing: ConnectorListing): ConnectorJson {
  const { entry, package: pkg } = listing;
  return {
    type: listing.type,
    ...(entry === undefined ? {} : { title: entry.title, summary: entry.summary }),
    roles: entry === undefined ? [] : rolesOf(entry),
    origin: listing.origin,
    ...(pkg === undefined ? {} : { package: pkg.name, path: pkg.dir }),
    ...(pkg?.version === undefined ? {} : { version: pkg.version }),
    ...(listing.shadowedBy === undefined ? {} : { shadowed_by: listing.shadowedBy }),
    ...(listing.ambiguousWith === undefined ? {} : { ambiguous_with: listing.ambiguousWith }),
    ...(listing.problem === undefined ? {} : { error: listing.problem }),
    ...(entry?.source === undefined ? {} : { source: entry.source.capabilities }),
    ...(entry?.destination === undefined ? {} : { destination: entry.destination.capabilities }),
  };
}

/** `built-in`, or the package and version an installed connector comes from. */
function originText(e: ConnectorJson): string {
  if (e.origin === 'builtin') return 'built-in';
  return e.version === undefined ? (e.package ?? '') : `${e.package ?? ''}@${e.version}`;
}

function detailLines(e: ConnectorJson): string[] {
  const lines: string[] = [];
  if (e.error !== undefined) lines.push(`error: ${e.error}`);
  if (e.shadowed_by !== undefined && e.shadowed_by === e.package) {
    lines.push(`shadowed: a nearer installation of ${e.package} is the one used`);
  } else if (e.shadowed_by !== undefined) {
    const name = e.package ?? '';
    lines.push(`shadowed: "${e.type}" means ${e.shadowed_by}; name this one "type": "${name}"`);
  }
  if (e.ambiguous_with !== undefined) {
    const others = e.ambiguous_with.join(', ');
    const name = e.package ?? '';
    lines.push(
      `ambiguous: "${e.type}" is also declared by ${others}; name this one "type": "${name}"`,
    );
  }
  if (e.source !== undefined) lines.push(`source sync modes: ${listText(e.source.syncModes)}`);
  const d = e.destination;
  if (d !== undefined) {
    lines.push(
      `destination write modes: ${listText(d.writeModes)}; formats: ${listText(d.formats)}; layouts: ${listText(d.layouts)}`,
    );
  }
  return lines;
}

function listText(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
