import { describe, expect, it } from 'vitest';
import { dayPrefix, digits, MICROS_PER_DAY, timeOfDay, timestamp, token, uuid } from './format.js';
import { Rng } from './random.js';

describe('uuid', () => {
  it('is a version 4 UUID, different each time', () => {
    const rng = Rng.derive(1);
    const ids = Array.from({ length: 1000 }, () => uuid(rng));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(1000);
  });

  it('writes the drawn words in order', () => {
    const words = Rng.derive(9);
    const [a, b, c, d] = [words.uint32(), words.uint32(), words.uint32(), words.uint32()];
    const hex = (x: number, n: number): string => x.toString(16).padStart(n, '0');
    expect(uuid(Rng.derive(9))).toBe(
      `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex((b & 0xfff) | 0x4000, 4)}-` +
        `${hex(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`,
    );
  });
});

describe('timestamps', () => {
  it('have six fraction digits', () => {
    const prefix = dayPrefix(Date.UTC(2025, 0, 2));
    expect(prefix).toBe('2025-01-02T');
    expect(timeOfDay(prefix, 0)).toBe('2025-01-02T00:00:00.000000Z');
    expect(timeOfDay(prefix, 1)).toBe('2025-01-02T00:00:00.000001Z');
    expect(timeOfDay(prefix, 45_296_789_012)).toBe('2025-01-02T12:34:56.789012Z');
    expect(timeOfDay(prefix, MICROS_PER_DAY - 1)).toBe('2025-01-02T23:59:59.999999Z');
    expect(timeOfDay('2025-03-04T', 1_000_000)).toBe('2025-03-04T00:00:01.000000Z');
  });

  it('format microseconds since the epoch', () => {
    expect(timestamp(Date.UTC(2019, 4, 6, 7, 8, 9) * 1000 + 10)).toBe(
      '2019-05-06T07:08:09.000010Z',
    );
    expect(timestamp(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
});

describe('digits and tokens', () => {
  it('have the length asked for', () => {
    const rng = Rng.derive(3);
    expect(digits(rng, 19)).toMatch(/^[1-9][0-9]{18}$/);
    expect(token(rng, 22, true)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token(rng, 10)).toMatch(/^[A-Za-z0-9]{10}$/);
  });
});
