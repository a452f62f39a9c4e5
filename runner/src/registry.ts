import { ConfigError, InternalError, type Destination, type Source } from '@ferry/core';
import { objectEntries, type ConnectorEntry } from './plugins-entry.js';
import { loadConnectorPackage } from './plugins-load.js';
import { describePackage, isPackageName, type ConnectorPackage } from './plugins-manifest.js';
import { builtinPackages, findPackage, nodeModulesDirs, scanNodeModules } from './plugins-scan.js';
import {
  bySlotType,
  listing,
  objectSlot,
  shadowing,
  type ConnectorListing,
  type Slot,
} from './plugins-slot.js';

export type { ConnectorEntry, PackageInfo } from './plugins-entry.js';
export type { ConnectorOrigin } from './plugins-manifest.js';
export type { ConnectorListing } from './plugins-slot.js';

/** Options of {@link Registry}. */
export interface RegistryOptions {
  /**
   * The built-in connectors as objects (tests, programs embedding ferry). Without it, the built-ins
   * are the connector packages among the dependencies of the package in `builtinsFrom`.
   */
  readonly builtins?: readonly (Source | Destination)[];
  /** Directory of the package whose dependencies are the built-in connectors; default: the runner. */
  readonly builtinsFrom?: string;
  /**
   * Where installed connector packages are looked for (each directory's `node_modules` and its
   * ancestors'), after the directories a lookup names; default: nowhere.
   */
  readonly searchFrom?: readonly string[];
}

/** Options of one lookup in a {@link Registry}. */
export interface LookupOptions {
  /** Searched for installed connector packages before the registry's own `searchFrom`. */
  readonly searchFrom?: readonly string[];
  /** JSON Pointer of the type in errors (default `/source/type`, `/destination/type` or ``). */
  readonly pointer?: string;
}

type Role = 'source' | 'destination';

interface Builtins {
  readonly slots: readonly Slot[];
  /** By short type and by package name. */
  readonly byKey: ReadonlyMap<string, Slot>;
  /** Real paths of built-in packages, which a scan of node_modules finds again. */
  readonly dirs: ReadonlySet<string>;
}

/**
 * The connectors a runner can resolve by the `type` of a transfer: built-ins first, then
 * connector packages installed in `node_modules` (by package name or declared short type). Only
 * what is used is imported; node_modules is scanned only for a type that is not built-in. A
 * registry keeps what it found: make a new one to see packages installed since.
 */
export class Registry {
  readonly #options: RegistryOptions;
  #builtins: Promise<Builtins> | undefined;
  readonly #loads = new Map<string, Promise<ConnectorEntry>>();
  readonly #scans = new Map<string, Promise<ConnectorPackage[]>>();

  constructor(options: RegistryOptions = {}) {
    this.#options = options;
  }

  /**
   * The source of `type`.
   * @throws ConfigError at the pointer (default `/source/type`) when no connector has that type,
   *   it has no source, or its package cannot be loaded (naming the package and its path).
   */
  async source(type: string, options: LookupOptions = {}): Promise<Source> {
    return this.#role(type, 'source', options);
  }

  /** The destination of `type`; throws as {@link Registry.source} does. */
  async destination(type: string, options: LookupOptions = {}): Promise<Destination> {
    return this.#role(type, 'destination', options);
  }

  /**
   * The connector of `type`, whatever roles it has.
   * @throws ConfigError at the pointer (default ``) as {@link Registry.source} does.
   */
  async entry(type: string, options: LookupOptions = {}): Promise<ConnectorEntry> {
    const pointer = options.pointer ?? '';
    const slot = await this.#find(type, options);
    if (slot === undefined) {
      const message = await this.#unknownText({ type, role: undefined, options });
      throw new ConfigError({ pointer, message });
    }
    return this.#load(slot, pointer);
  }

  /**
   * Every connector: built-ins sorted by type, then installed packages sorted by type, each
   * loaded (one that fails to load is listed with the problem instead of failing the list).
   */
  async list(options: Omit<LookupOptions, 'pointer'> = {}): Promise<ConnectorListing[]> {
    const builtins = await this.#builtinIndex();
    const installed = await this.#installed(options);
    const shadowedBy = shadowing(builtins.slots, installed);
    const rows = [...builtins.slots, ...installed.toSorted(bySlotType)].map((slot) =>
      listing(slot, shadowedBy.get(slot)),
    );
    return Promise.all(rows);
  }

  async #role<R extends Role>(
    type: string,
    role: R,
    options: LookupOptions,
  ): Promise<NonNullable<ConnectorEntry[R]>> {
    const pointer = options.pointer ?? `/${role}/type`;
    const slot = await this.#find(type, options);
    const entry = slot === undefined ? undefined : await this.#load(slot, pointer);
    const connector = entry?.[role];
    if (connector !== undefined) return connector;
    if (slot?.pkg !== undefined && slot.origin === 'installed') {
      const other = role === 'source' ? 'destination' : 'source';
      const message = `${describePackage(slot.pkg)} provides a ${other}, not a ${role}`;
      throw new ConfigError({ pointer, message });
    }
    const message = await this.#unknownText({ type, role, options });
    throw new ConfigError({ pointer, message });
  }

  /** The slot a transfer's `type` names: a built-in, else the nearest installed package. */
  async #find(type: string, options: LookupOptions): Promise<Slot | undefined> {
    const builtin = (await this.#builtinIndex()).byKey.get(type);
    if (builtin !== undefined) return builtin;
    const installed = await this.#installed(options);
    return (
      installed.find((slot) => slot.pkg?.name === type) ??
      installed.find((slot) => slot.pkg?.type === type)
    );
  }

  async #load(slot: Slot, pointer: string): Promise<ConnectorEntry> {
    try {
      return await slot.load();
    } catch (error) {
      throw error instanceof ConfigError ? error.withContext({ prefix: pointer }) : error;
    }
  }

  /** Why `type` cannot be found, what can be, and how a connector package is installed. */
  async #unknownText(request: {
    readonly type: string;
    readonly role: Role | undefined;
    readonly options: LookupOptions;
  }): Promise<string> {
    const { type, role, options } = request;
    const notConnector = await this.#nonConnectorPackage(type, options);
    if (notConnector !== undefined) return notConnector;
    const known = (await this.list(options))
      .filter((row) => row.entry !== undefined && (role === undefined || row.entry[role]))
      .map((row) => (row.shadowedBy === undefined ? row.type : (row.package?.name ?? row.type)));
    const what = role === undefined ? 'connector' : `${role} connector`;
    const install = type.includes('/') ? type : '<package>';
    return (
      `no ${what} "${type}" is installed (available: ${known.join(', ') || 'none'}); ` +
      "connector packages are found in the node_modules of the transfer file's directory, " +
      `the working directory or their ancestors: npm install ${install}`
    );
  }

  /** The message for a `type` that names an installed package without a `ferry` field. */
  async #nonConnectorPackage(type: string, options: LookupOptions): Promise<string | undefined> {
    if (!isPackageName(type)) return undefined;
    const found = await findPackage(type, this.#searchDirs(options));
    if (found === undefined) return undefined;
    return `${describePackage(found)} is not a ferry connector package: its package.json has no "ferry" field`;
  }

  #searchDirs(options: LookupOptions): string[] {
    return nodeModulesDirs([...(options.searchFrom ?? []), ...(this.#options.searchFrom ?? [])]);
  }

  /** Installed connector packages, nearest first, each once, built-ins left out. */
  async #installed(options: LookupOptions): Promise<Slot[]> {
    const builtins = await this.#builtinIndex();
    const dirs = this.#searchDirs(options);
    const scans = await Promise.all(dirs.map((dir) => this.#scan(dir)));
    const seen = new Set(builtins.dirs);
    const slots: Slot[] = [];
    for (const pkg of scans.flat()) {
      if (seen.has(pkg.dir)) continue;
      seen.add(pkg.dir);
      slots.push(this.#packageSlot(pkg));
    }
    return slots;
  }

  #scan(dir: string): Promise<ConnectorPackage[]> {
    let scan = this.#scans.get(dir);
    if (scan === undefined) {
      scan = scanNodeModules(dir);
      this.#scans.set(dir, scan);
    }
    return scan;
  }

  #packageSlot(pkg: ConnectorPackage): Slot {
    const load = (): Promise<ConnectorEntry> => {
      let loading = this.#loads.get(pkg.dir);
      if (loading === undefined) {
        loading = loadConnectorPackage(pkg);
        this.#loads.set(pkg.dir, loading);
      }
      return loading;
    };
    return { type: pkg.type ?? pkg.name, origin: pkg.origin, pkg, load };
  }

  #builtinIndex(): Promise<Builtins> {
    this.#builtins ??= this.#indexBuiltins();
    return this.#builtins;
  }

  async #indexBuiltins(): Promise<Builtins> {
    const objects = this.#options.builtins;
    const slots: Slot[] =
      objects === undefined
        ? (await builtinPackages(this.#options.builtinsFrom)).map((pkg) => this.#packageSlot(pkg))
        : [...objectEntries(objects).values()].map((entry) => objectSlot(entry));
    const byKey = new Map<string, Slot>();
    for (const slot of slots) {
      const clash = byKey.get(slot.type);
      if (clash !== undefined) {
        const names = [clash, slot].map((s) => s.pkg?.name ?? s.type).join(' and ');
        throw new InternalError(`two built-in connectors have the type "${slot.type}": ${names}`);
      }
      byKey.set(slot.type, slot);
      if (slot.pkg !== undefined) byKey.set(slot.pkg.name, slot);
    }
    const dirs = new Set(slots.flatMap((slot) => (slot.pkg === undefined ? [] : [slot.pkg.dir])));
    return { slots: slots.toSorted(bySlotType), byKey, dirs };
  }
}

/**
 * The runner's registry: the built-in connectors (the runner's connector dependencies) and the
 * connector packages installed where a transfer file is, or in the working directory, or in an
 * ancestor of either.
 */
export function builtinRegistry(): Registry {
  return new Registry({ searchFrom: [process.cwd()] });
}
