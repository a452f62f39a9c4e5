import { expect, it } from 'vitest';
import type { Exemptions } from './options.js';

/** Generous: cases read and write whole test streams, and a connector may talk to a server. */
const CASE_TIMEOUT_MS = 60_000;

/**
 * The cases of one suite. Each case is a vitest test named `[id] what it checks`. An exempted
 * case still runs, and passes only while it fails: once the connector meets it, the test fails
 * and asks to remove the exemption, so no exemption outlives its reason.
 */
export class Cases {
  readonly #exempt: Exemptions;
  readonly #ids = new Set<string>();

  constructor(exempt: Exemptions = {}) {
    this.#exempt = exempt;
  }

  /** Registers case `id`; `title` says what a connector must do. */
  add(id: string, title: string, run: () => unknown): void {
    if (this.#ids.has(id)) throw new Error(`conformance suite: two cases are named "${id}"`);
    this.#ids.add(id);
    const reason = this.#exempt[id];
    if (reason === undefined) {
      it(
        `[${id}] ${title}`,
        async () => {
          await run();
        },
        CASE_TIMEOUT_MS,
      );
      return;
    }
    it(
      `[${id}] exempt: ${reason}`,
      async () => {
        const failed = await failureOf(run);
        if (failed === undefined) {
          throw new Error(`case "${id}" passes now (${title}); remove its exemption`);
        }
      },
      CASE_TIMEOUT_MS,
    );
  }

  /** Adds a case that fails when an exemption names no case of the suite. */
  finish(): void {
    const unknown = Object.keys(this.#exempt).filter((id) => !this.#ids.has(id));
    if (Object.keys(this.#exempt).length === 0) return;
    it('[exemptions] every exemption names a case of this suite', () => {
      expect(unknown, `no such cases: ${unknown.join(', ')}`).toEqual([]);
    });
  }
}

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error ?? new Error('undefined was thrown');
  }
}
