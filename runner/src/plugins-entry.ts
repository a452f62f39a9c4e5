import { InternalError, type Destination, type Source } from '@ferry/core';
import type { ConnectorOrigin } from './plugins-manifest.js';

/** The package a connector was loaded from. */
export interface PackageInfo {
  readonly name: string;
  readonly version: string | undefined;
  /** Real path of the package directory. */
  readonly dir: string;
}

/** One connector type with the roles it provides. */
export interface ConnectorEntry {
  readonly type: string;
  readonly title: string;
  readonly summary: string;
  readonly origin: ConnectorOrigin;
  /** The package it was loaded from; absent for connectors registered as objects. */
  readonly package?: PackageInfo;
  readonly source?: Source;
  readonly destination?: Destination;
}

/**
 * One entry per type for connectors given as objects: a source and a destination of the same
 * type share an entry (its title and summary are the first one's).
 * @throws InternalError when two sources (or two destinations) have the same type.
 */
export function objectEntries(
  connectors: readonly (Source | Destination)[],
): Map<string, ConnectorEntry> {
  const entries = new Map<string, ConnectorEntry>();
  for (const connector of connectors) {
    const existing = entries.get(connector.type);
    if (existing?.[connector.kind] !== undefined) {
      throw new InternalError(`two ${connector.kind}s are registered as "${connector.type}"`);
    }
    const base = existing ?? {
      type: connector.type,
      title: connector.title,
      summary: connector.summary,
      origin: 'builtin' as const,
    };
    entries.set(connector.type, { ...base, [connector.kind]: connector });
  }
  return entries;
}

/** The roles an entry provides, in a fixed order: `['source', 'destination']`. */
export function rolesOf(entry: ConnectorEntry): ('source' | 'destination')[] {
  const roles: ('source' | 'destination')[] = [];
  if (entry.source !== undefined) roles.push('source');
  if (entry.destination !== undefined) roles.push('destination');
  return roles;
}
