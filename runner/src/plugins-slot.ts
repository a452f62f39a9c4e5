import { ConfigError } from '@ferry/core';
import type { ConnectorEntry, PackageInfo } from './plugins-entry.js';
import type { ConnectorOrigin, ConnectorPackage } from './plugins-manifest.js';

/** One connector as `ferry connectors` shows it: usable, shadowed or broken. */
export interface ConnectorListing {
  /** Its type; for a package that declares none, its package name. */
  readonly type: string;
  readonly origin: ConnectorOrigin;
  /** The package it comes from; absent for connectors registered as objects. */
  readonly package: PackageInfo | undefined;
  /** The loaded connector; absent when it cannot be used. */
  readonly entry: ConnectorEntry | undefined;
  /** Why it cannot be used (contract version, import failure, shape). */
  readonly problem: string | undefined;
  /** The package a transfer gets under this short type instead; then only the name reaches it. */
  readonly shadowedBy: string | undefined;
}

/** A connector that can be loaded: a built-in object or a package. */
export interface Slot {
  /** Its declared short type, or its package name when it declares none. */
  readonly type: string;
  readonly origin: ConnectorOrigin;
  readonly pkg: ConnectorPackage | undefined;
  readonly load: () => Promise<ConnectorEntry>;
}

/**
 * Which installed slots lose their short type, and to whom (a package name, or the type of a
 * connector registered as an object): built-ins keep theirs, then the nearest package declaring
 * a type gets it. `installed` is nearest first.
 */
export function shadowing(
  builtins: readonly Slot[],
  installed: readonly Slot[],
): Map<Slot, string> {
  const owners = new Map<string, Slot>(builtins.map((slot) => [slot.type, slot]));
  const shadowedBy = new Map<Slot, string>();
  for (const slot of installed) {
    const owner = owners.get(slot.type);
    if (owner === undefined) owners.set(slot.type, slot);
    else shadowedBy.set(slot, owner.pkg?.name ?? owner.type);
  }
  return shadowedBy;
}

/** Orders slots by type, then package name. */
export function bySlotType(a: Slot, b: Slot): number {
  return a.type.localeCompare(b.type) || (a.pkg?.name ?? '').localeCompare(b.pkg?.name ?? '');
}

/** The slot of a connector registered as an object (already loaded). */
export function objectSlot(entry: ConnectorEntry): Slot {
  return {
    type: entry.type,
    origin: 'builtin',
    pkg: undefined,
    load: () => Promise.resolve(entry),
  };
}

/** How `ferry connectors` shows `slot`: loaded, or with the reason it cannot be. */
export async function listing(
  slot: Slot,
  shadowedBy: string | undefined,
): Promise<ConnectorListing> {
  const { type, origin, pkg } = slot;
  const info =
    pkg === undefined ? undefined : { name: pkg.name, version: pkg.version, dir: pkg.dir };
  const base = { type, origin, package: info, shadowedBy };
  try {
    return { ...base, entry: await slot.load(), problem: undefined };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problem = error.issues.map((issue) => issue.message).join('; ');
    return { ...base, entry: undefined, problem };
  }
}
