import { ConfigError, isPlainObject, type Destination, type Source } from '@ferry/core';
import { checkDeclaration } from './plugins-declaration.js';
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
  const declared = checkDeclaration(pkg);
  if (!declared.ok) throw packageProblem(pkg, declared.problem);
  const { type, entry } = declared;
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
