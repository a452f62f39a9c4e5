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
 * The policy is often needed before the credentials exist, so unset `${env:...}` variables are
 * fine unless the policy depends on their value (a bucket, a prefix, a KMS key, the region
 * that picks the ARNs' partition): then it is a config
 * error naming them, as for any command.
 */
export async function policyCommand(cli: CommandContext, file: string): Promise<number> {
  const unset: { readonly name: string; readonly pointer: string }[] = [];
  const options = { registry: cli.registry, redactor: cli.redactor };
  let transfer: Transfer;
  try {
    transfer = await loadTransfer(file, {
      ...options,
      onUnsetVariable: (name, pointer) => {
        unset.push({ name, pointer });
        return reference(name);
      },
    });
  } catch (error) {
    if (unset.length === 0 || !(error instanceof ConfigError)) throw error;
    // A reference left in place may break the schema (a bucket name): name the variable there.
    const issues = error.issues.map((issue) => {
      const variable = unset.find((u) => u.pointer === issue.pointer);
      return variable === undefined ? issue : notSet(variable, 'and the config needs it');
    });
    const distinct = new Map(issues.map((i) => [`${i.pointer} ${i.message}`, i]));
    throw new ConfigError([...distinct.values()], { file });
  }
  const policy = transferPolicy(transfer);
  const text = JSON.stringify(policy);
  const needed = unset.filter(({ name }) => text.includes(reference(name)));
  if (needed.length > 0) {
    throw new ConfigError(
      needed.map((variable) => notSet(variable, 'and the policy depends on it')),
      { file },
    );
  }
  cli.printJson(policy, 2);
  if (unset.length > 0) {
    const names = [...new Set(unset.map((u) => u.name))].join(', ');
    cli.terminal.line(`note: not set, and not needed for the policy: ${names}`);
  }
  return Exit.ok;
}

function notSet(
  variable: { readonly name: string; readonly pointer: string },
  why: string,
): { pointer: string; message: string } {
  return {
    pointer: variable.pointer,
    message: `environment variable ${variable.name} is not set, ${why}`,
  };
}

/** How an unset variable is left in the config: its own reference, unlike any real value. */
function reference(name: string): string {
  return `\${env:${name}}`;
}
