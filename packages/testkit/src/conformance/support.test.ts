import { describe, expect, it } from 'vitest';
import { canonical, notJson } from './support.js';

describe('canonical', () => {
  it('keeps bigint, number and string apart', () => {
    expect(new Set([canonical(1n), canonical(1), canonical('1')]).size).toBe(3);
  });

  it('takes a Buffer for the binary it is', () => {
    expect(canonical({ b: Buffer.from([0, 255]) })).toBe(
      canonical({ b: Uint8Array.from([0, 255]) }),
    );
  });

  it('does not take a Date for its ISO text', () => {
    const at = new Date(0);
    expect(canonical({ at })).not.toBe(canonical({ at: at.toISOString() }));
  });
});

describe('notJson', () => {
  it('accepts plain JSON, and keys holding undefined (JSON drops them)', () => {
    expect(
      notJson({ position: 1, tags: ['a', null], done: false, gone: undefined }),
    ).toBeUndefined();
  });

  it('names where a value is not JSON', () => {
    expect(notJson({ at: new Date(0) })).toBe('/at is a Date');
    expect(notJson({ list: [1, Number.NaN] })).toBe('/list/1 is NaN');
    expect(notJson({ n: 1n })).toBe('/n is a bigint');
    expect(notJson(new Map())).toBe('the value is a Map');
  });
});
