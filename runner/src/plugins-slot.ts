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
  /** The other packages declaring this short type; then only package names reach them. */
  readonly ambiguousWith: readonly string[] | undefined;
}

/** A connector that can be loaded: a built-in object or a package. */
export interface Slot {
  /** Its declared short type, or its package name when it declares none. */
  readonly type: string;
  readonly origin: ConnectorOrigin;
  readonly pkg: ConnectorPackage | undefined;
  readonly load: () => Promise<ConnectorEntry>;
}

/** What a connector's short type means for a transfer, when it is not this connector. */
export interface Standing {
  /** The package (or built-in type) a transfer gets under this short type instead. */
  readonly shadowedBy?: string;
  /** The other packages declaring the same short type, which then names none of them. */
  readonly ambiguousWith?: readonly string[];
}

/**
 * The installed packages that declare the short type `type`, nearest first. Only the nearest copy
 * of a package counts, as for a lookup by name (farther ones are out of reach), so two copies of
 * one package are one candidate; two different packages make the type ambiguous.
 */
export function declaring(installed: readonly Slot[], type: string): Slot[] {
  const nearest = new Map<string, Slot>();
  for (const slot of installed) {
    const name = slot.pkg?.name ?? slot.type;
    if (!nearest.has(name)) nearest.set(name, slot);
  }
  return [...nearest.values()].filter((slot) => slot.pkg?.type === type);
}

/**
 * Why each installed slot is not what its short type names, as a lookup resolves it: built-ins
 * keep their types; a nearer copy of the same package wins; package names win over declared
 * types; a type several packages declare names none of them. `installed` is nearest first.
 */
export function standings(
  builtins: readonly Slot[],
  installed: readonly Slot[],
): Map<Slot, Standing> {
  const builtinTypes = new Map<string, Slot>(builtins.map((slot) => [slot.type, slot]));
  const result = new Map<Slot, Standing>();
  installed.forEach((slot, index) => {
    const name = slot.pkg?.name;
    const builtin = builtinTypes.get(slot.type);
    const nearer = installed
      .slice(0, index)
      .find((other) => name !== undefined && other.pkg?.name === name);
    const named = installed.find((other) => other.pkg?.name === slot.type);
    const owner = builtin ?? nearer ?? (named === slot ? undefined : named);
    if (owner !== undefined) {
      result.set(slot, { shadowedBy: owner.pkg?.name ?? owner.type });
      return;
    }
    const rivals = declaring(installed, slot.type).filter((other) => other !== slot);
    if (rivals.length > 0) {
      result.set(slot, { ambiguousWith: rivals.map((other) => other.pkg?.name ?? other.type) });
    }
  });
  return result;
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
export async function listing(slot: Slot, standing: Standing = {}): Promise<ConnectorListing> {
  const { type, origin, pkg } = slot;
  const info =
    pkg === undefined ? undefined : { name: pkg.name, version: pkg.version, dir: pkg.dir };
  const { shadowedBy, ambiguousWith } = standing;
  const base = { type, origin, package: info, shadowedBy, ambiguousWith };
  try {
    return { ...base, entry: await slot.load(), problem: undefined };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problem = error.issues.map((issue) => issue.message).join('; ');
    return { ...base, entry: undefined, problem };
  }
}
