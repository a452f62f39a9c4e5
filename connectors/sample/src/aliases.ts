/**
 * Identity aliases: the other ids a user is known by. Partner cookies (`appnexus`, `ttd`) and the
 * AMP client id are synced seconds into a user's first session; the hashed e-mail
 * (`email_sha256`) and the publisher's account id (`default`) appear when the user logs in.
 */
import { createHash } from 'node:crypto';
import type { Row } from '@ferry/core';
import { dayPrefix, digits, MICROS_PER_DAY, MS_PER_DAY, timeOfDay, token, uuid } from './format.js';
import { planDay, type Session } from './plan.js';
import { Rng } from './random.js';
import { buildUser, identityFlags } from './users.js';
import type { Workspace, World } from './world.js';

/** Alias tags with their priority (lower wins when ids conflict). */
const PRIORITY = { default: 0, email_sha256: 1, amp: 2, appnexus: 3, ttd: 4 } as const;

type Tag = keyof typeof PRIORITY;

const FIRST_NAMES = ['james', 'olivia', 'harry', 'amelia', 'jack', 'isla', 'oliver', 'emily'];
const MORE_FIRST = ['george', 'sophie', 'noah', 'grace', 'leo', 'chloe', 'arthur', 'lucy'];
const LAST_NAMES = ['smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson'];
const MORE_LAST = ['davies', 'patel', 'wright', 'walker', 'evans', 'thomas', 'roberts', 'khan'];
const MAIL_DOMAINS = ['gmail.com', 'hotmail.co.uk', 'yahoo.com', 'outlook.com', 'icloud.com'];

/** The ids a user is known by; the same whichever day they are generated on. */
interface Identity {
  readonly account: string;
  /** The plain address; never emitted, only hashed. */
  readonly email: string;
  readonly appnexus: string;
  readonly ttd: string;
  readonly amp: string;
}

/** Draws the identity of user `user` of `workspace`. */
export function drawIdentity(world: World, workspace: Workspace, user: number): Identity {
  const rng = Rng.derive(
    world.seedWords[0] ^ 0x616c6961,
    world.seedWords[1],
    workspace.index,
    user,
  );
  const first = rng.pick([...FIRST_NAMES, ...MORE_FIRST]);
  const last = rng.pick([...LAST_NAMES, ...MORE_LAST]);
  const separator = rng.pick(['.', '', '_']);
  const suffix = rng.chance(0.5) ? String(rng.between(1, 99)) : '';
  return {
    account: digits(rng, 9),
    email: `${first}${separator}${last}${suffix}@${rng.pick(MAIL_DOMAINS)}`,
    appnexus: digits(rng, 19),
    ttd: uuid(rng),
    amp: `amp-${token(rng, 22, true)}`,
  };
}

/** The `email_sha256` id: hex SHA-256 of the salt followed by the address. */
export function hashEmail(salt: string, email: string): string {
  return createHash('sha256')
    .update(salt + email)
    .digest('hex');
}

/** The latest a partner cookie or AMP id is synced after the session starts. */
const SYNC_MICROS = 25_000_000;

/** An alias before it becomes a row. */
interface Alias {
  /** Microseconds since midnight. */
  readonly time: number;
  readonly workspaceId: string;
  readonly userId: string;
  readonly tag: Tag;
  readonly id: string;
}

/** The aliases created during `session`. */
function sessionAliases(world: World, session: Session): Alias[] {
  const { workspace, user, start } = session;
  const identity = drawIdentity(world, workspace, user);
  const { id: userId, device } = buildUser(workspace.users, user);
  const [lo, hi] = world.seedWords;
  const rng = Rng.derive(lo ^ 0x73796e63, hi, workspace.index, user);
  const found: Alias[] = [];
  // Syncs happen up to SYNC_MICROS into the session; in a session that starts seconds before
  // midnight they are squeezed into what is left of the day.
  const room = Math.min(SYNC_MICROS, MICROS_PER_DAY - 1 - start);
  const add = (tag: Tag, id: string, offset: number): void => {
    const time = start + Math.floor((offset * room) / SYNC_MICROS);
    found.push({ time, workspaceId: workspace.id, userId, tag, id });
  };
  if (session.isNew) {
    const flags = identityFlags(workspace.users, user);
    if (device.type === 'amp') add('amp', identity.amp, rng.int(2_000_000));
    if (flags.appnexus) add('appnexus', identity.appnexus, rng.between(500_000, 15_000_000));
    if (flags.ttd) add('ttd', identity.ttd, rng.between(1_000_000, SYNC_MICROS));
  }
  if (session.login) {
    const time = start + rng.int(session.end - start + 1);
    found.push({
      time,
      workspaceId: workspace.id,
      userId,
      tag: 'email_sha256',
      id: hashEmail(world.hashSalt, identity.email),
    });
    found.push({ time, workspaceId: workspace.id, userId, tag: 'default', id: identity.account });
  }
  return found;
}

/**
 * The alias rows of `day` (index from start_date) in ascending `time`, only those after
 * `afterMicros` microseconds since the day's midnight when given.
 */
export function dayAliases(world: World, day: number, afterMicros = -1): Row[] {
  const prefix = dayPrefix(world.startMs + day * MS_PER_DAY);
  const found = planDay(world, day)
    .filter((session) => session.isNew || session.login)
    .flatMap((session) => sessionAliases(world, session));
  // Sessions are in start order and Array.prototype.sort is stable: ties keep that order.
  found.sort((a, b) => a.time - b.time);
  return found
    .filter((alias) => alias.time > afterMicros)
    .map((alias) => ({
      workspace_id: alias.workspaceId,
      user_id: alias.userId,
      tag: alias.tag,
      id: alias.id,
      priority: PRIORITY[alias.tag],
      time: timeOfDay(prefix, alias.time),
    }));
}
