import { field, t } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { rowDifferences, rowProblems } from './values.js';

describe('rowProblems', () => {
  it('accepts int32 values from -2^31 to 2^31 - 1 only', () => {
    const fields = [field('n', t.int32)];
    expect(rowProblems({ n: 2 ** 31 - 1 }, fields)).toEqual([]);
    expect(rowProblems({ n: -(2 ** 31) }, fields)).toEqual([]);
    expect(rowProblems({ n: 2 ** 31 }, fields)).toEqual([
      'n: expected int32, got number 2147483648',
    ]);
    expect(rowProblems({ n: -(2 ** 31) - 1 }, fields)).toHaveLength(1);
  });
});

describe('rowDifferences', () => {
  it('names the row, the field and both values with their types', () => {
    const written = [{ id: 9_007_199_254_740_993n, at: '2025-01-01T00:00:00.000001Z' }];
    const read = [{ id: 9_007_199_254_740_993n, at: new Date(Date.UTC(2025, 0, 1)) }];
    expect(rowDifferences(written, read)).toEqual([
      'row with id 9007199254740993, field at: wrote string "2025-01-01T00:00:00.000001Z", read Date 2025-01-01T00:00:00.000Z',
    ]);
  });

  it('says which rows are missing or extra, and caps the list', () => {
    const written = Array.from({ length: 8 }, (_, i) => ({ id: i, name: 'a' }));
    const read = written.map((row) => ({ ...row, name: null }));
    const missing = rowDifferences(written, read.slice(0, 7), 3);
    expect(missing[0]).toBe('7 rows read back, 8 written');
    expect(missing.slice(3)).toEqual(['… and 6 more differences']); // 7 changed names, 1 row missing
    expect(rowDifferences(written, read.slice(0, 7), 10).at(-1)).toBe(
      'row with id 7: not read back',
    );
    const extra = rowDifferences([], [{ id: 5 }]);
    expect(extra).toEqual(['1 rows read back, 0 written', 'row with id 5: never written']);
  });
});
