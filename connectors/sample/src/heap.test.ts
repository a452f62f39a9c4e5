import { describe, expect, it } from 'vitest';
import { TimeHeap } from './heap.js';
import { Rng } from './random.js';

describe('TimeHeap', () => {
  it('pops by time, then order', () => {
    const heap = new TimeHeap<{ time: number; order: number }>();
    const rng = Rng.derive(1);
    const items = Array.from({ length: 500 }, (_, order) => ({ time: rng.int(50), order }));
    for (const item of items) heap.push(item);
    expect(heap.size).toBe(500);
    const popped = Array.from({ length: 500 }, () => heap.pop());
    expect(popped).toEqual([...items].sort((a, b) => a.time - b.time || a.order - b.order));
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
  });
});
