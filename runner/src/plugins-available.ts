import { checkDeclaration } from './plugins-declaration.js';
import { bySlotType, listing, standings, type Slot } from './plugins-slot.js';

/** Where installed connector packages are looked for, in that order, as messages say it. */
export const SEARCH_ORDER_TEXT =
  'connector packages are found in the node_modules of the working directory and its ' +
  "ancestors, then of the transfer file's directory and its ancestors";

/** What {@link availableTypes} lists from. */
export interface Available {
  readonly builtins: readonly Slot[];
  /** Nearest first. */
  readonly installed: readonly Slot[];
  /** Only built-ins with this role are listed; every role when `undefined`. */
  readonly role: 'source' | 'destination' | undefined;
}

/**
 * The `type` values a transfer can use, for the message about one it cannot: the built-ins with
 * the role, sorted (loaded: they are ours), then the installed packages whose package.json
 * declares a usable connector, sorted, as `greetings (@acme/ferry-connector-greetings)` (or the
 * package name alone when the short type means another connector). Installed packages are not
 * imported: a typo must not run every plugin's code, nor hang on one whose import never ends. So
 * their roles are unknown, and one may still fail to load when named.
 */
export async function availableTypes(available: Available): Promise<string[]> {
  const { builtins, installed, role } = available;
  const loaded = await Promise.all(builtins.map((slot) => listing(slot)));
  const names = loaded
    .filter((row) => row.entry !== undefined && (role === undefined || row.entry[role]))
    .map((row) => row.type);
  const standing = standings(builtins, installed);
  for (const slot of installed.toSorted(bySlotType)) {
    const { pkg } = slot;
    if (pkg === undefined || !checkDeclaration(pkg).ok) continue;
    const { shadowedBy } = standing.get(slot) ?? {};
    // A farther copy of a package (or a copy of a built-in): its name reaches the other one.
    if (shadowedBy === pkg.name) continue;
    // Its short type reaches another connector, or none: only its name reaches it.
    names.push(standing.has(slot) ? pkg.name : `${slot.type} (${pkg.name})`);
  }
  return names;
}
