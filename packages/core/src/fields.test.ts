import { describe, expect, it } from 'vitest';
import { field, schemaSignature, t, typeName } from './fields.js';

describe('schemaSignature', () => {
  it('changes when the nullability of a nested member changes', () => {
    const inner = (nullable: boolean) => [
      field('props', t.struct([field('url', t.string, { nullable })]), { nullable: false }),
    ];
    expect(schemaSignature(inner(true))).toBe('props:struct{url:string?}');
    expect(schemaSignature(inner(false))).toBe('props:struct{url:string}');
  });

  it('names lists, decimals and nullable top-level fields', () => {
    const fields = [
      field('ids', t.list(t.int64)),
      field('amount', t.decimal(18, 4), { nullable: false }),
    ];
    expect(schemaSignature(fields)).toBe('ids:list<int64>?;amount:decimal(18,4)');
    expect(typeName(t.struct([field('a', t.date)]))).toBe('struct{a: date}');
  });
});
