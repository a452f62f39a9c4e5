import {
  ConfigError,
  toFerryError,
  type Catalog,
  type Context,
  type FerryError,
} from '@ferry/core';
import type { Transfer } from './transfer.js';

// Errors already given their connector's context, so a source error passing through the
// destination is not attributed twice.
const attributed = new WeakSet<object>();

/**
 * A connector's error as the runner reports it: a ConfigError gets the transfer file and its
 * pointers moved under `/<role>/config` (connectors point into their own config, or at the
 * transfer's `/streams` or `/tenant`); anything that
 * is not a ferry error becomes an InternalError saying what was being done.
 */
export function connectorError(
  error: unknown,
  at: {
    readonly transfer: Transfer;
    readonly role: 'source' | 'destination';
    readonly doing: string;
  },
): FerryError {
  if (typeof error === 'object' && error !== null && attributed.has(error))
    return error as FerryError;
  const result =
    error instanceof ConfigError
      ? error.withContext({ file: at.transfer.file, prefix: configPrefix(error, at.role) })
      : toFerryError(error, at.doing);
  attributed.add(result);
  return result;
}

/**
 * Where a connector's ConfigError points: into its own config, unless it names the transfer's
 * `streams` or `tenant` (a stream name a destination cannot use, say).
 */
function configPrefix(error: ConfigError, role: 'source' | 'destination'): string {
  const transferLevel = error.issues.every((i) => /^\/(streams|tenant)(\/|$)/.test(i.pointer));
  return transferLevel ? '' : `/${role}/config`;
}

/** The source's catalog, with its errors attributed to the source. */
export async function discoverCatalog(transfer: Transfer, ctx: Context): Promise<Catalog> {
  try {
    return await transfer.source.discover(ctx, transfer.sourceConfig);
  } catch (error) {
    throw connectorError(error, {
      transfer,
      role: 'source',
      doing: `discovering the streams of ${transfer.source.type}`,
    });
  }
}
