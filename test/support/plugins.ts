import { cp, mkdir, realpath, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

/** The connector packages under `test/fixtures/plugins/`, by directory name. */
export type PluginFixture =
  'ferry-connector-greetings' | 'ferry-connector-old' | 'ferry-connector-broken';

/**
 * Makes `dir` a project with connector packages installed as npm would: each fixture copied to
 * `node_modules/@acme/<fixture>`, and `@ferry/core` (their peer dependency) linked to this
 * repository's. Returns the real path of each installed package, as error messages name it.
 */
export async function installPlugins(
  dir: string,
  fixtures: readonly PluginFixture[],
): Promise<Record<string, string>> {
  await mkdir(join(dir, 'node_modules/@acme'), { recursive: true });
  await mkdir(join(dir, 'node_modules/@ferry'), { recursive: true });
  await symlink(join(repoRoot, 'packages/core'), join(dir, 'node_modules/@ferry/core'), 'dir');
  const installed: Record<string, string> = {};
  for (const fixture of fixtures) {
    const target = join(dir, 'node_modules/@acme', fixture);
    await cp(join(repoRoot, 'test/fixtures/plugins', fixture), target, { recursive: true });
    installed[`@acme/${fixture}`] = await realpath(target);
  }
  return installed;
}
