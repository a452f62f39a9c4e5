/**
 * Generates the straight-line JavaScript of a shredder for one parquetjs schema (see
 * parquet-shred.ts for the level rules it implements). One function per schema, with every
 * field access, level and column written out, took about 40% less time than the tree of closures
 * it replaced (event rows, 25 columns): its property loads and pushes stay monomorphic and nothing
 * is dispatched per field.
 *
 * Only these go into the code: field names as JSON string literals (always valid JavaScript
 * string literals, whatever the name), and integers from the schema (levels, column indexes).
 * No value of any row ever does.
 */
import type { ParquetField } from '@dsnp/parquetjs';
import { InternalError } from '@ferry/core';

/** How a leaf column keeps what its statistics need. */
export type LeafStatistics = 'none' | 'set' | 'strings';

/** A leaf column of the generated code, `columns[index]` in it. */
export interface GeneratedLeaf {
  /** Its key in parquetjs's row buffer: the path joined with commas. */
  readonly key: string;
  readonly statistics: LeafStatistics;
}

/**
 * The body of `function (columns, missing, record)`: appends `record`'s levels and values to
 * `columns` (one per {@link GeneratedLeaf}, in order) and calls `missing(path)` for a required
 * field without a value.
 */
export interface ShredderCode {
  readonly body: string;
  readonly leaves: readonly GeneratedLeaf[];
}

/** Generates the shredder of records whose top-level fields are `fields`. */
export function shredderCode(fields: readonly ParquetField[]): ShredderCode {
  const emitter = new Emitter();
  emitter.fields(fields, 'record', { r: '0', d: 0 });
  const bindings = emitter.leaves.map((_, i) => `const c${i} = columns[${i}];`);
  return { body: [...bindings, ...emitter.lines].join('\n'), leaves: emitter.leaves };
}

/** Where a value sits: its repetition level (a constant or a loop variable), its parent's D. */
interface Position {
  readonly r: string;
  readonly d: number;
}

class Emitter {
  readonly lines: string[] = [];
  readonly leaves: GeneratedLeaf[] = [];
  private names = 0;

  fields(fields: readonly ParquetField[], object: string, at: Position): void {
    for (const field of fields) {
      const value = this.name('v');
      this.lines.push(`const ${value} = ${object}[${JSON.stringify(field.name)}];`);
      this.field(field, value, at);
    }
  }

  private field(field: ParquetField, value: string, at: Position): void {
    const absent = `${value} === null || ${value} === undefined`;
    if (field.repetitionType === 'REPEATED') {
      this.repeated(field, value, at);
    } else if (field.repetitionType === 'OPTIONAL') {
      this.lines.push(`if (${absent}) {`);
      this.absent(field, at);
      this.lines.push('} else {');
      this.present(field, value, at.r);
      this.lines.push('}');
    } else {
      this.lines.push(`if (${absent}) missing(${JSON.stringify(field.path.join('.'))});`);
      this.present(field, value, at.r);
    }
  }

  /** An absent or empty repeated field is null; a single non-array value is one item. */
  private repeated(field: ParquetField, value: string, at: Position): void {
    const [items, i, r, item] = [
      this.name('items'),
      this.name('i'),
      this.name('r'),
      this.name('v'),
    ];
    this.lines.push(
      `const ${items} = ${value} === null || ${value} === undefined ? [] : ` +
        `Array.isArray(${value}) ? ${value} : [${value}];`,
      `if (${items}.length === 0) {`,
    );
    this.absent(field, at);
    this.lines.push(
      '} else {',
      `for (let ${i} = 0; ${i} < ${items}.length; ${i} += 1) {`,
      `const ${r} = ${i} === 0 ? ${at.r} : ${level(field.rLevelMax)};`,
      `const ${item} = ${items}[${i}];`,
    );
    this.present(field, item, r);
    this.lines.push('}', '}');
  }

  private present(field: ParquetField, value: string, r: string): void {
    if (field.isNested === true) {
      this.fields(Object.values(field.fields ?? {}), value, { r, d: field.dLevelMax });
      return;
    }
    if (field.originalType !== undefined) {
      throw new InternalError(`parquet shredder: ${field.path.join('.')} has a converted type`);
    }
    const column = `c${this.leaves.length}`;
    const statistics = leafStatistics(field);
    this.leaves.push({ key: field.path.join(','), statistics });
    if (statistics !== 'none') this.lines.push(`${column}.distinct_values.add(${value});`);
    this.lines.push(`${column}.values.push(${value});`);
    this.levels(column, r, field.dLevelMax);
  }

  /** Null levels for every leaf below `field`, which come next in column order. */
  private absent(field: ParquetField, at: Position): void {
    const first = this.leaves.length;
    const count = leafCount(field);
    for (let i = first; i < first + count; i += 1) this.levels(`c${i}`, at.r, at.d);
  }

  private levels(column: string, r: string, d: number): void {
    this.lines.push(
      `${column}.rlevels.push(${r});`,
      `${column}.dlevels.push(${level(d)});`,
      `${column}.count += 1;`,
    );
  }

  private name(prefix: string): string {
    this.names += 1;
    return `${prefix}${this.names}`;
  }
}

function leafStatistics(field: ParquetField): LeafStatistics {
  if (field.statistics === false) return 'none';
  return field.primitiveType === 'BYTE_ARRAY' ? 'strings' : 'set';
}

function leafCount(field: ParquetField): number {
  if (field.isNested !== true) return 1;
  return Object.values(field.fields ?? {}).reduce((sum, child) => sum + leafCount(child), 0);
}

function level(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InternalError(`parquet shredder: invalid level ${value}`);
  }
  return String(value);
}
