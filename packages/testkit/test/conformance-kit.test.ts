// The kit must be able to fail: each defect of the memory pair fails exactly the cases that should
// catch it, with a message saying what is wrong, and the correct pair (with each unusual but valid
// variant) passes everything. The suites run in child vitest processes, as a connector runs them.
import { beforeAll, expect, it } from 'vitest';
import { DEFECTS, VARIANTS, type Quirk } from './fixtures/memory-connector.js';
import { limiter, runKit, type CaseOutcome } from './kit-run.js';

/**
 * The cases (`suite/case id`) each quirk must fail, each with words its message must contain.
 * Every other case must pass.
 */
const FAILING: Readonly<Record<Quirk, Readonly<Record<string, readonly string[]>>>> = {
  'property-title': {
    'source/property /space': ['config property /space', 'has no title'],
    'destination/property /space': ['config property /space', 'has no title'],
  },
  'ignore-signal': {
    'source/read-abort': ['read of orders went on after the abort', 'ctx.signal'],
  },
  'ignore-state': {
    'source/resume': ['orders resumed from {"position":40}', '40 repeated or unknown, 0 lost'],
  },
  'plain-error': { 'source/read-unknown-stream': ['not a ferry error', 'no_such_stream'] },
  'cursor-backwards': {
    'source/checkpoints': ['checkpoints of orders', 'after checkpoint {"position":40} came a row'],
  },
  'checkpoint-early': {
    'source/read': ['orders: an incremental stream must end with a checkpoint'],
    'source/resume': ['orders resumed from {"position":80}', '0 repeated or unknown, 40 lost'],
  },
  'state-not-json': { 'source/read': ['orders: state', 'is not JSON (/read_at is a Date)'] },
  'ack-before-store': {
    'destination/write': ['rows of conformance_events readable at the ack of {"position":100}'],
  },
  'store-at-end': {
    'destination/write': ['rows of conformance_events readable at the ack of {"position":100}'],
    'destination/write-abort': ['readable after the failed write', 'covers 100'],
    'destination/bad-record': ['readable after the failed write', 'covers 100'],
  },
  'keep-unacked': {
    'destination/write-abort': ['readable after the failed write', '{"position":100}, covers 100'],
  },
  'int64-string': {
    'destination/bad-record': ['write ended normally after a row', 'must throw a ferry error'],
  },
  'check-throws': {
    'source/check-fails the space does not exist': ['check threw (ConnectionError', 'ok: false'],
    'source/check-fails the token is wrong': ['check threw (AuthError', 'ok: false'],
    'destination/check-fails the token is wrong': ['check threw (AuthError', 'ok: false'],
  },
  'int64-number': {
    'round-trip/round-trip': ['field id: wrote bigint 9007199254740993n, read number'],
  },
  'timestamp-date': {
    'round-trip/round-trip': ['field at: wrote string "1969-12-31T23:58:00.000000Z", read Date'],
  },
  'exempt-passing': { 'source/discover': ['case "discover" passes now', 'remove its exemption'] },
  'exempt-unknown': { 'source/exemptions': ['no such cases: no-such-case'] },
  'secret-in-error': {
    'source/secrets': ['check, discover or write quotes the value of x-secret /token'],
    'destination/secrets': ['check, discover or write quotes the value of x-secret /token'],
  },
  'replace-truncate-early': {
    'destination/replace-abort': ['rows of the snapshot after a replace run was aborted'],
  },
  'decimal-float': {
    'round-trip/round-trip': ['field amount: wrote string "99999999999999.9999", read string'],
  },
  'json-parse': {
    'round-trip/round-trip': ['field payload: wrote object', '{"$bigint":"-90'],
  },
  'resume-mid-bug': {
    'source/resume': ['orders resumed from {"position":79}', '1 repeated or unknown, 0 lost'],
  },
  'discover-plain-error': {
    'source/check-fails the space does not exist': [
      'discover with a config whose check fails threw an error that is not a ferry error',
    ],
    'source/check-fails the token is wrong': [
      'discover with a config whose check fails threw an error that is not a ferry error',
    ],
  },
  'secret-in-discover-error': {
    'source/secrets': ['check, discover or write quotes the value of x-secret /token'],
  },
  'log-secret': { 'source/secrets': ['a log line quotes the value of x-secret /token'] },
  'unrequested-stream': { 'source/read-one-stream': ['read emitted unrequested stream "orders"'] },
  'omit-nulls': {},
  'binary-buffer': {},
};

// Waiting includes the runs queued before this one.
const TIMEOUT_MS = 90_000;
const runs = new Map<Quirk | 'none', Promise<CaseOutcome[]>>();
const limit = limiter(2); // the cores CI has; more only slows each run down

function run(quirk: Quirk | undefined): Promise<CaseOutcome[]> {
  const key = quirk ?? 'none';
  let started = runs.get(key);
  if (started === undefined) {
    started = limit(() => runKit(quirk));
    // Its test reports the failure; this only keeps it from being unhandled meanwhile.
    started.catch(() => undefined);
    runs.set(key, started);
  }
  return started;
}

beforeAll(() => {
  void run(undefined);
  for (const quirk of [...DEFECTS, ...VARIANTS]) void run(quirk);
});

function failures(cases: readonly CaseOutcome[]): Record<string, string> {
  return Object.fromEntries(cases.filter((c) => !c.passed).map((c) => [c.key, c.message]));
}

it(
  'the correct pair passes every case, and has every case a quirk must fail',
  { timeout: TIMEOUT_MS },
  async () => {
    const cases = await run(undefined);
    expect(failures(cases)).toEqual({});
    const keys = new Set(cases.map((c) => c.key));
    const named = Object.values(FAILING).flatMap((failing) => Object.keys(failing));
    expect(
      named.filter((key) => !keys.has(key)),
      'cases missing from the clean run',
    ).toEqual([]);
  },
);

for (const quirk of DEFECTS) {
  const failing = FAILING[quirk];
  const keys = Object.keys(failing).sort();
  it(`${quirk}: fails ${keys.join(', ')} and nothing else`, { timeout: TIMEOUT_MS }, async () => {
    const [clean, cases] = await Promise.all([run(undefined), run(quirk)]);
    expect(
      cases.map((c) => c.key),
      'the cases run',
    ).toEqual(clean.map((c) => c.key));
    const failed = failures(cases);
    expect(Object.keys(failed).sort(), 'the cases that fail').toEqual(keys);
    for (const key of keys) {
      for (const words of failing[key] ?? []) expect(failed[key], key).toContain(words);
    }
  });
}

for (const quirk of VARIANTS) {
  it(`${quirk} (unusual but correct): passes every case`, { timeout: TIMEOUT_MS }, async () => {
    expect(failures(await run(quirk))).toEqual({});
  });
}
