import { isFerryError, type CheckResult, type Destination, type Source } from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import type { ConnectorSuiteOptions } from './options.js';
import { connectorCall, connectorConfig, errorText, testContext } from './support.js';

/** `check` succeeds on the working config and returns (never throws) a failure on bad ones. */
export function addCheckCases(
  cases: Cases,
  connector: Source | Destination,
  options: ConnectorSuiteOptions,
): void {
  cases.add('check', 'check succeeds with the working config', async () => {
    const result = await runCheck(connector, await connectorConfig(connector, options.config));
    expect(result, 'check result').toMatchObject({ ok: true });
  });
  cases.add('check-fails', 'the suite is given at least one config whose check fails', () => {
    expect(options.failingChecks.length, 'options.failingChecks is empty').toBeGreaterThan(0);
  });
  for (const failing of options.failingChecks) {
    cases.add(
      `check-fails ${failing.name}`,
      'check returns {ok:false} instead of throwing; discover fails as a ferry error',
      async () => {
        // The config must pass validation: check is about what only a connection can tell.
        const config = await connectorConfig(connector, failing.config);
        const result = await connector.check(testContext(), config).catch((error: unknown) => {
          throw new Error(
            `check threw (${errorText(error)}); return { ok: false, error } for a failure it expects`,
            { cause: error },
          );
        });
        expect(result.ok, 'check result').toBe(false);
        if (!result.ok) expect(result.error.trim(), 'the failure says what is wrong').not.toBe('');
        // What a user runs next (`ferry discover`) on the same config fails as a ferry error.
        if (connector.kind === 'source') {
          await connectorCall('discover with a config whose check fails', () =>
            connector.discover(testContext(), config),
          ).catch((error: unknown) => {
            if (!isFerryError(error)) throw error;
          });
        }
      },
    );
  }
}

async function runCheck(connector: Source | Destination, config: unknown): Promise<CheckResult> {
  return connectorCall('check', () => connector.check(testContext(), config));
}
