import { field, t } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { inferFields, NO_VALUES_SAMPLED } from './infer.js';
import { NumberText, parseJson } from './json-text.js';

function json(...lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => parseJson(line) as Record<string, unknown>);
}

describe('inferFields', () => {
  it('types JSON values, columns in order of first appearance, all nullable', () => {
    const records = json(
      '{"i": 1, "f": 1.5, "b": true, "s": "x", "ts": "2025-01-02T03:04:05Z", "d": "2025-01-02"}',
      '{"o": {"a": 1}, "a": [1], "big": 9223372036854775807, "huge": 92233720368547758070, "n": null}',
      '{"nan": NaN, "local": "2025-01-02T03:04:05", "off": "2025-01-02 03:04:05.123+02:00"}',
    );
    expect(inferFields(records, 'json')).toEqual([
      field('i', t.int64),
      field('f', t.float64),
      field('b', t.boolean),
      field('s', t.string),
      field('ts', t.timestamp),
      field('d', t.date),
      field('o', t.json),
      field('a', t.json),
      field('big', t.int64),
      field('huge', t.float64),
      field('n', t.string, { description: NO_VALUES_SAMPLED }),
      field('nan', t.string),
      field('local', t.timestamp), // no zone: UTC, as DuckDB writes a TIMESTAMP
      field('off', t.timestamp),
    ]);
  });

  it('merges kinds: int64 with float64 is float64, with json is json, other mixes are string', () => {
    const records = json(
      '{"num": 1, "obj": 1, "mix": 1, "when": "2025-01-02", "nan": 1, "flag": true}',
      '{"num": 2.5, "obj": [1], "mix": "x", "when": "2025-01-02T00:00:00Z", "nan": NaN, "flag": null}',
    );
    expect(inferFields(records, 'json')).toEqual([
      field('num', t.float64),
      field('obj', t.json),
      field('mix', t.string),
      field('when', t.string),
      field('nan', t.float64),
      field('flag', t.boolean),
    ]);
  });

  it('infers timestamps without a zone (DuckDB TIMESTAMP text), alone or mixed with zoned ones', () => {
    const records = [
      {
        naive: '2025-01-01 00:00:00',
        t: '1969-07-20T20:17:40.123456',
        mixed: '2025-01-01T00:00:00Z',
      },
      { naive: '1900-01-01 00:00:00.5', t: null, mixed: '2025-01-02 03:04:05.000001' },
      { naive: '2025-01-02 03:04', t: null, mixed: null }, // no seconds: not DuckDB's form
    ];
    for (const shape of ['csv', 'json'] as const) {
      expect(inferFields(records.slice(0, 2), shape)).toEqual([
        field('naive', t.timestamp),
        field('t', t.timestamp),
        field('mixed', t.timestamp),
      ]);
      expect(inferFields(records, shape)[0]).toEqual(field('naive', t.string));
    }
  });

  it('types CSV text', () => {
    const records = [
      {
        i: '-12',
        f: '1e3',
        b: 'TRUE',
        d: '2024-02-29',
        ts: '2025-01-02 03:04:05+00',
        s: 'x',
        z: '007',
        e: '',
      },
      {
        i: '9223372036854775807',
        f: '2',
        b: 'false',
        d: '1900-01-01',
        ts: null,
        s: '1',
        z: '1',
        e: null,
      },
      { i: null, f: 'inf', b: null, d: '2023-02-29', ts: null, s: null, z: null, e: '' },
    ];
    expect(inferFields(records, 'csv')).toEqual([
      field('i', t.int64),
      field('f', t.float64),
      field('b', t.boolean),
      field('d', t.string), // 2023-02-29 is no date
      field('ts', t.timestamp),
      field('s', t.string),
      field('z', t.string),
      field('e', t.string, { description: NO_VALUES_SAMPLED }),
    ]);
  });

  it('keeps long numbers exact in parsed JSON', () => {
    expect(
      parseJson('{"a": 9007199254740993, "b": [1.23456789012345678], "c": "12345678901234567"}'),
    ).toEqual({
      a: new NumberText('9007199254740993'),
      b: [new NumberText('1.23456789012345678')],
      c: '12345678901234567',
    });
  });
});
