import { destination as filesystemDestination } from '@ferry/connector-filesystem';
import { source as sampleSource } from '@ferry/connector-sample';
import { ConfigError, InternalError, type Destination, type Source } from '@ferry/core';

/** One connector type with the roles it provides. */
export interface ConnectorEntry {
  readonly type: string;
  readonly title: string;
  readonly summary: string;
  readonly source?: Source;
  readonly destination?: Destination;
}

/** The connectors a runner can resolve by `type`. */
export class Registry {
  readonly #entries = new Map<string, ConnectorEntry>();

  constructor(connectors: readonly (Source | Destination)[]) {
    for (const connector of connectors) this.#add(connector);
  }

  /** Every connector type, sorted by type. */
  list(): ConnectorEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** The entry of `type`, or `undefined`. */
  get(type: string): ConnectorEntry | undefined {
    return this.#entries.get(type);
  }

  /**
   * The source of `type`.
   * @throws ConfigError at `pointer` naming the source types available.
   */
  source(type: string, pointer = '/source/type'): Source {
    const found = this.#entries.get(type)?.source;
    if (found !== undefined) return found;
    const known = this.list()
      .filter((e) => e.source !== undefined)
      .map((e) => e.type);
    throw new ConfigError({ pointer, message: unknownType('source', type, known) });
  }

  /**
   * The destination of `type`.
   * @throws ConfigError at `pointer` naming the destination types available.
   */
  destination(type: string, pointer = '/destination/type'): Destination {
    const found = this.#entries.get(type)?.destination;
    if (found !== undefined) return found;
    const known = this.list()
      .filter((e) => e.destination !== undefined)
      .map((e) => e.type);
    throw new ConfigError({ pointer, message: unknownType('destination', type, known) });
  }

  #add(connector: Source | Destination): void {
    const existing = this.#entries.get(connector.type);
    if (existing?.[connector.kind] !== undefined) {
      throw new InternalError(`two ${connector.kind}s are registered as "${connector.type}"`);
    }
    const base = existing ?? {
      type: connector.type,
      title: connector.title,
      summary: connector.summary,
    };
    this.#entries.set(connector.type, { ...base, [connector.kind]: connector });
  }
}

function unknownType(role: string, type: string, known: readonly string[]): string {
  return `no ${role} connector "${type}" is installed (available: ${known.join(', ') || 'none'})`;
}

/** The connectors that ship with ferry. */
export function builtinRegistry(): Registry {
  return new Registry([sampleSource, filesystemDestination]);
}
