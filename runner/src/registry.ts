import { ConfigError, InternalError, type Destination, type Source } from '@ferry/core';
import { availableTypes, SEARCH_ORDER_TEXT } from './plugins-available.js';
import { objectEntries, type ConnectorEntry } from './plugins-entry.js';
import { loadConnectorPackage } from './plugins-load.js';
import { describePackage, isPackageName, type ConnectorPackage } from './plugins-manifest.js';
import { builtinPackages, findPackage, nodeModulesDirs, scanNodeModules } from './plugins-scan.js';
import {
  bySlotType,
  declaring,
  listing,
  objectSlot,
  standings,
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
   * ancestors'), before the directories a lookup names; default: nowhere. The runner's is the
   * working directory: the project's own packages come before whatever is installed above a
   * transfer file (a file under /tmp must not get /tmp/node_modules' packages).
   */
  readonly searchFrom?: readonly string[];
}

/** Options of one lookup in a {@link Registry}. */
export interface LookupOptions {
  /** Searched for installed connector packages after the registry's own `searchFrom`. */
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
 * connector packages installed in `node_modules`, by package name (the nearest copy) or by
 * declared short type (which must then be declared by one package only). Only what is used is
 * imported, even to say what is available; node_modules is scanned only for a type that is not
 * built-in. A registry keeps what it found: make a new one to see packages installed since.
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
   *   several installed packages declare it, it has no source, or its package cannot be loaded
   *   (naming the package and its path).
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
    const slot = await this.#find(type, { ...options, pointer });
    if (slot === undefined) {
      const message = await this.#unknownText({ type, role: undefined, options });
      throw new ConfigError({ pointer, message });
    }
    return this.#load(slot, pointer);
  }

  /**
   * Every connector: built-ins sorted by type, then installed packages sorted by type, each
   * loaded (one that fails to load is listed with the problem instead of failing the list).
   * This imports every installed connector package, running its code: it is for `ferry
   * connectors`, which shows what each provides; lookups never call it.
   */
  async list(options: Omit<LookupOptions, 'pointer'> = {}): Promise<ConnectorListing[]> {
    const builtins = await this.#builtinIndex();
    const installed = await this.#installed(options);
    const standing = standings(builtins.slots, installed);
    const rows = [...builtins.slots, ...installed.toSorted(bySlotType)].map((slot) =>
      listing(slot, standing.get(slot)),
    );
    return Promise.all(rows);
  }

  async #role<R extends Role>(
    type: string,
    role: R,
    options: LookupOptions,
  ): Promise<NonNullable<ConnectorEntry[R]>> {
    const pointer = options.pointer ?? `/${role}/type`;
    const slot = await this.#find(type, { ...options, pointer });
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

  /**
   * The slot a transfer's `type` names: a built-in, else the nearest installed package of that
   * name, else the one installed package declaring that short type.
   * @throws ConfigError at `options.pointer` when several packages declare the short type: which
   *   one a transfer gets must not depend on what else happens to be installed.
   */
  async #find(
    type: string,
    options: LookupOptions & { readonly pointer: string },
  ): Promise<Slot | undefined> {
    const builtin = (await this.#builtinIndex()).byKey.get(type);
    if (builtin !== undefined) return builtin;
    const installed = await this.#installed(options);
    const byName = installed.find((slot) => slot.pkg?.name === type);
    if (byName !== undefined) return byName;
    const candidates = declaring(installed, type);
    if (candidates.length > 1) {
      const names = candidates.flatMap((slot) => (slot.pkg === undefined ? [] : [slot.pkg]));
      const message =
        `several installed connector packages declare the type "${type}": ` +
        `${names.map((pkg) => describePackage(pkg)).join(', ')}; ` +
        `name the one to use by its package name, e.g. "type": "${names[0]?.name ?? type}"`;
      throw new ConfigError({ pointer: options.pointer, message });
    }
    return candidates[0];
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
    const builtins = (await this.#builtinIndex()).slots;
    const known = await availableTypes({
      builtins,
      installed: await this.#installed(options),
      role,
    });
    const what = role === undefined ? 'connector' : `${role} connector`;
    const install = type.includes('/') ? type : '<package>';
    return (
      `no ${what} "${type}" is installed (available: ${known.join(', ') || 'none'}); ` +
      `${SEARCH_ORDER_TEXT}: npm install ${install}`
    );
  }

  /** The message for a `type` that names an installed package without a `ferry` field. */
  async #nonConnectorPackage(type: string, options: LookupOptions): Promise<string | undefined> {
    if (!isPackageName(type)) return undefined;
    const found = await findPackage(type, this.#searchDirs(options));
    if (found === undefined) return undefined;
    return `${describePackage(found)} is not a ferry connector package: its package.json has no "ferry" field`;
  }

  /** The registry's own places first (the working directory), then the lookup's. */
  #searchDirs(options: LookupOptions): string[] {
    return nodeModulesDirs([...(this.#options.searchFrom ?? []), ...(options.searchFrom ?? [])]);
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
 * connector packages installed in the working directory or its ancestors, then (for a transfer)
 * where the transfer file is or in its ancestors.
 */
export function builtinRegistry(): Registry {
  return new Registry({ searchFrom: [process.cwd()] });
}
