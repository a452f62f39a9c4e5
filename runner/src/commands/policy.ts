import { ConfigError, type IamStatement } from '@ferry/core';
import { Exit, type CommandContext } from '../cli-support.js';
import { loadTransfer, type Transfer } from '../transfer.js';

/** The IAM policy document `ferry policy` prints. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/**
 * The least IAM policy a transfer needs: the statements of each side whose connector runs on
 * AWS (its `iamPolicy` hook), their `Sid`s prefixed with the role so both sides can share one
 * policy.
 * @throws ConfigError when neither side runs on AWS.
 */
export function transferPolicy(transfer: Transfer): IamPolicy {
  const sides = [
    ['Source', transfer.source.iamPolicy?.(transfer.sourceConfig)],
    ['Destination', transfer.destination.iamPolicy?.(transfer.destinationConfig)],
  ] as const;
  const statements = sides.flatMap(([role, list]) =>
    (list ?? []).map((statement) => ({ ...statement, Sid: `${role}${statement.Sid}` })),
  );
  if (statements.length === 0) {
    const route = `source "${transfer.source.type}", destination "${transfer.destination.type}"`;
    throw new ConfigError(
      { pointer: '', message: `no side of this transfer runs on AWS (${route}): no IAM policy` },
      { file: transfer.file },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * `ferry policy <transfer.json>`: prints the least IAM policy (JSON) the transfer's AWS side(s)
 * need, scoped to the buckets, prefixes and keys its configs name. No I/O beyond reading the file.
 */
export async function policyCommand(cli: CommandContext, file: string): Promise<number> {
  const transfer = await loadTransfer(file, { registry: cli.registry, redactor: cli.redactor });
  cli.printJson(transferPolicy(transfer), 2);
  return Exit.ok;
}
