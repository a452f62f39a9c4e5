import { RecordError } from '@ferry/core';

/**
 * A value that does not fit its field type, thrown by the compiled converters. Struct and list
 * converters add their segment to `path` while the issue travels up, so the writer can name the
 * full field path (`properties.client.url`, `segments[3]`) in the {@link RecordError}.
 *
 * The message never contains the value itself (rows may hold personal data): only what was
 * expected and the JavaScript type that was received.
 */
export class ValueIssue extends Error {
  /** Segments from the outermost field inwards: `['segments', 3, 'url']`. */
  readonly path: (string | number)[] = [];

  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super(`expected ${expected}, got ${received}`);
    this.name = 'ValueIssue';
  }
}

/** Throws a {@link ValueIssue}; the second argument describes what was received. */
export function fail(expected: string, received: string): never {
  throw new ValueIssue(expected, received);
}

/** Throws a {@link ValueIssue} naming the JavaScript type of `value`. */
export function failType(expected: string, value: unknown): never {
  throw new ValueIssue(expected, jsType(value));
}

/** Adds an outer path segment (a field name or a list index) to a {@link ValueIssue}. */
export function withSegment(error: unknown, segment: string | number): unknown {
  if (error instanceof ValueIssue) error.path.unshift(segment);
  return error;
}

/** The JavaScript type of a value for messages (`null`, `array`, `Date`, `bigint`...). */
export function jsType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined (missing)';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'Date';
  if (value instanceof Uint8Array) return 'Uint8Array';
  return typeof value;
}

/** The dotted field path of an issue: `properties.client.url`, `segments[3].id`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/**
 * Turns an error thrown while converting row `row` into a {@link RecordError} naming the row and
 * the field path. Errors other than {@link ValueIssue} are returned unchanged.
 */
export function toRecordError(error: unknown, row: number, format: string): unknown {
  if (!(error instanceof ValueIssue)) return error;
  const field = formatPath(error.path);
  const message = `cannot write ${format} row: expected ${error.expected}, got ${error.received}`;
  return new RecordError(message, { position: field === '' ? { row } : { row, field } });
}
