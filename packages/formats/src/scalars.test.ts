import { describe, expect, it } from 'vitest';
import { ValueIssue } from './issue.js';
import { jsonText } from './scalars.js';

describe('jsonText', () => {
  it('writes a value without bigints as JSON.stringify does', () => {
    const value = { a: 1, f: 0.5, n: Number.NaN, u: undefined, l: [null, 'x', true], s: '"1"' };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText('text')).toBe('"text"');
  });

  it('writes bigints inside as their exact digits (stringifyJson of @ferry/core)', () => {
    expect(jsonText({ l: [-(2n ** 70n), 1n], u: undefined })).toBe(
      '{"l":[-1180591620717411303424,1]}',
    );
  });

  it('fails for a cycle (bigint or not) and for what JSON cannot hold, naming no value', () => {
    const cycle: Record<string, unknown> = { n: 1n };
    cycle.self = cycle;
    expect(() => jsonText(cycle)).toThrow(ValueIssue);
    expect(() => jsonText(cycle)).toThrow('cycle');
    expect(() => jsonText(undefined)).toThrow('expected a JSON value, got undefined (missing)');
    expect(() => jsonText(() => 1)).toThrow('expected a JSON value, got function');
  });
});
