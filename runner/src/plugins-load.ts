import {
  ConfigError,
  CONTRACT_VERSION,
  isPlainObject,
  type Destination,
  type Source,
} from '@ferry/core';
import type { ConnectorEntry } from './plugins-entry.js';
import { describePackage, type ConnectorPackage } from './plugins-manifest.js';
import { shapeProblems } from './plugins-shape.js';

interface Roles {
  readonly source?: Source;
  readonly destination?: Destination;
}

/**
 * Loads a connector package: checks the contract version and type it declares, imports its main
 * export and checks the `source` and/or `destination` it exports. Nothing of the package runs
 * before its contract version is known to match.
 * @throws ConfigError with one issue at pointer `''` naming the package and its path; a failed
 *   import is its `cause`.
 */
export async function loadConnectorPackage(pkg: ConnectorPackage): Promise<ConnectorEntry> {
  const { type, entry } = checkDeclaration(pkg);
  const module = await importEntry(pkg, entry);
  const roles = checkExports(pkg, { module, type });
  const first = roles.source ?? roles.destination;
  return {
    type,
    title: first?.title ?? type,
    summary: first?.summary ?? '',
    origin: pkg.origin,
    package: { name: pkg.name, version: pkg.version, dir: pkg.dir },
    ...roles,
  };
}

/** A ConfigError about `pkg`, to be placed at the transfer's `/<role>/type` by the caller. */
function packageProblem(pkg: ConnectorPackage, text: string, cause?: unknown): ConfigError {
  const message = `${describePackage(pkg)} ${text}`;
  return new ConfigError({ pointer: '', message }, cause === undefined ? {} : { cause });
}

function checkDeclaration(pkg: ConnectorPackage): { type: string; entry: string } {
  if (pkg.contract !== CONTRACT_VERSION) throw packageProblem(pkg, contractText(pkg));
  if (pkg.type === undefined) {
    throw packageProblem(
      pkg,
      'declares no connector type in its package.json ("ferry": {"type": "<short name>"})',
    );
  }
  if (pkg.entry === undefined) {
    throw packageProblem(pkg, 'has no main export for import() in its package.json ("exports")');
  }
  return { type: pkg.type, entry: pkg.entry };
}

function contractText(pkg: ConnectorPackage): string {
  const declared = pkg.contract;
  const supported = `this ferry supports contract ${CONTRACT_VERSION}`;
  if (declared === undefined) {
    return `declares no connector contract in its package.json ("ferry": {"contract": N}); ${supported}`;
  }
  if (typeof declared !== 'number') {
    return `declares connector contract ${JSON.stringify(declared)}, which is not a version number; ${supported}`;
  }
  const upgrade = declared > CONTRACT_VERSION ? ', or a newer ferry' : '';
  return `was built for connector contract ${declared}; ${supported} (install a version of ${pkg.name} built for it${upgrade})`;
}

async function importEntry(pkg: ConnectorPackage, entry: string): Promise<unknown> {
  try {
    return (await import(entry)) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw packageProblem(pkg, `cannot be imported: ${detail}`, error);
  }
}

function checkExports(
  pkg: ConnectorPackage,
  loaded: { readonly module: unknown; readonly type: string },
): Roles {
  const module = isPlainObject(loaded.module) ? loaded.module : {};
  const { source, destination } = module;
  if (source === undefined && destination === undefined) {
    throw packageProblem(
      pkg,
      'exports neither "source" nor "destination" (objects made with defineSource / defineDestination from @ferry/core)',
    );
  }
  const problems: string[] = [];
  for (const role of ['source', 'destination'] as const) {
    if (module[role] === undefined) continue;
    const found = shapeProblems(module[role], { role, type: loaded.type });
    problems.push(...found.map((problem) => `export "${role}": ${problem}`));
  }
  if (problems.length > 0) {
    throw packageProblem(pkg, `is not a valid connector: ${problems.join('; ')}`);
  }
  // The checks above are what makes these casts sound.
  return {
    ...(source === undefined ? {} : { source: source as Source }),
    ...(destination === undefined ? {} : { destination: destination as Destination }),
  };
}
