// `npm run docs`: rewrites the generated configuration section of every connector's README from
// the connector's config schema. `node scripts/docs.js --check` writes nothing and exits 1 when a
// README is stale. Needs the packages built (`npm run docs` builds them first).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');

// The compiled module directly: the testkit's index also loads DuckDB and vitest.
const docsModule = join(root, 'packages/testkit/dist/docs.js');
if (!existsSync(docsModule)) {
  console.error(`docs: ${relative(root, docsModule)} is missing; run \`npm run build\``);
  process.exit(1);
}
const { renderReadmeConfig } = await import(pathToFileURL(docsModule).href);

/** Connector packages: directories of `connectors/` whose package.json has a `ferry` field. */
function connectorDirs() {
  const base = join(root, 'connectors');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(base, entry.name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .filter(
      (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).ferry !== undefined,
    )
    .sort();
}

/** The `source` and `destination` exported by a package's built entry. */
async function connectorsOf(dir) {
  const entry = join(dir, 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`${relative(root, entry)} is missing; build it first`);
  const exports = await import(pathToFileURL(entry).href);
  const found = [exports.source, exports.destination].filter((c) => c !== undefined);
  if (found.length === 0)
    throw new Error(`${relative(root, entry)} exports no source or destination`);
  return found;
}

/** The README of a connector package as it should be; throws when it cannot be generated. */
async function expectedReadme(dir, path) {
  if (!existsSync(path)) throw new Error('missing (every connector has a README)');
  return renderReadmeConfig(readFileSync(path, 'utf8'), await connectorsOf(dir));
}

// Every package is processed even when one fails, so one run reports every problem.
const stale = [];
const problems = [];
for (const dir of connectorDirs()) {
  const path = join(dir, 'README.md');
  const name = relative(root, path);
  try {
    const expected = await expectedReadme(dir, path);
    if (expected === readFileSync(path, 'utf8')) continue;
    stale.push(name);
    if (!check) writeFileSync(path, expected);
  } catch (error) {
    problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (!check) for (const name of stale) console.log(`updated ${name}`);
if (check && stale.length > 0) {
  console.error(`Stale configuration sections; run \`npm run docs\`:\n  ${stale.join('\n  ')}`);
}
if (problems.length > 0) console.error(`docs: cannot generate:\n  ${problems.join('\n  ')}`);
if (problems.length > 0 || (check && stale.length > 0)) process.exit(1);
if (stale.length === 0) console.log('Every connector README is current.');
