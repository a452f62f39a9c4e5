// Fails when package-lock.json lacks an entry for an optional platform package that a locked
// package declares. `npm ci` refuses such a lock file ("Missing: ... from lock file"); it happens
// when the lock is regenerated against a registry that serves only some platforms' binaries.
import { readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const missing = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    if (
      lock.packages[nested] === undefined &&
      lock.packages[`node_modules/${name}`] === undefined
    ) {
      missing.push(`${name} (wanted by ${path || 'the root'})`);
    }
  }
}
if (missing.length > 0) {
  console.error(`package-lock.json has no entry for:\n  ${missing.join('\n  ')}`);
  console.error(
    'Add them (version, os, cpu, optional: true) so that `npm ci` accepts the lock file.',
  );
  process.exit(1);
}
