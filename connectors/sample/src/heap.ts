/** Something scheduled at a time; `order` breaks ties so that the result is deterministic. */
export interface Timed {
  /** Microseconds since midnight. */
  readonly time: number;
  readonly order: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}

/** A binary min-heap of {@link Timed} items, earliest first. */
export class TimeHeap<T extends Timed> {
  readonly #items: T[] = [];

  /** Number of items. */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest item, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an item. */
  push(item: T): void {
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (p === undefined || !before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = items[2 * i + 1];
      if (left === undefined) break;
      const right = 2 * i + 2 < n ? items[2 * i + 2] : undefined;
      const useRight = right !== undefined && before(right, left);
      const child = useRight ? right : left;
      if (!before(child, last)) break;
      items[i] = child;
      i = useRight ? 2 * i + 2 : 2 * i + 1;
    }
    items[i] = last;
    return top;
  }
}
