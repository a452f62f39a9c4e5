import { isPlainObject, RecordError, type Field, type Row } from '@ferry/core';
import { fail } from '../issue.js';
import type { ByteSource } from './byte-source.js';
import { compileRecord } from './coerce.js';
import { inferFields } from './infer.js';
import { NumberText, parseJson } from './json-text.js';
import { recordIssue } from './record-errors.js';
import {
  batchRowsOption,
  rowReader,
  TextBatches,
  type OnBadRecord,
  type RowReader,
} from './row-reader.js';
import {
  LineSplitter,
  LONG_LINE,
  maxCharsOption,
  openStream,
  streamError,
  tooLongReason,
} from './text-stream.js';

/** Options of {@link readJsonLines}. */
export interface ReadJsonLinesOptions {
  /** The columns to read, in order (see coerce.ts for what each type accepts). */
  readonly fields: readonly Field[];
  /** Rows per batch (default 10,000). */
  readonly batchRows?: number;
  /** Aborting stops the read: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** `fail` (default): the first bad line ends the read with its error; `skip`: drop and count. */
  readonly onBadRecord?: OnBadRecord;
  /** The longest line read, in UTF-16 units: default and most 2^29 - 24 (V8's longest string). */
  readonly maxLineChars?: number;
}

/** Options of {@link inferJsonLinesFields}. */
export interface InferJsonLinesOptions {
  /** Rows sampled from the start of the file (default 1,000). */
  readonly sampleRows?: number;
  readonly signal?: AbortSignal;
  /** `fail` (default): a bad line in the sample throws; `skip`: it is left out of the sample. */
  readonly onBadRecord?: OnBadRecord;
  /** The longest line read, in UTF-16 units: default and most 2^29 - 24 (V8's longest string). */
  readonly maxLineChars?: number;
}

/** Rows sampled by {@link inferJsonLinesFields} unless told. */
export const DEFAULT_SAMPLE_ROWS = 1000;

/**
 * Reads a JSON Lines file (gunzipped when its name ends in `.gz`), streaming, in batches of rows
 * of `fields`. Each non-blank line must be a JSON object; missing keys are null, other keys are
 * ignored. Lines end in `\n` or `\r\n` and may be up to `maxLineChars` long (512 MiB: V8's
 * longest string); a UTF-8 BOM is ignored; invalid UTF-8 becomes U+FFFD. Integers beyond 2^53 and
 * long decimals are read exactly (json-text.ts).
 *
 * Errors (thrown by the iteration): a line that is not a JSON object or whose value does not fit
 * its field is a `RecordError` naming the file, the line and the field, e.g. `cannot read JSON
 * line: expected an int64, got a string that is not an integer (s3://b/t/f.jsonl, line 7, field
 * id)`, or is dropped and counted under `onBadRecord: 'skip'`. So is a line longer than the limit
 * (`cannot read JSON line: the line is longer than 512 MiB; ferry reads lines up to that size
 * (s3://b/t/f.jsonl, line 7)`): under `skip` the rest of it is passed over unread into memory and
 * the read goes on at the next line. Broken gzip is a `RecordError`; the source's own errors pass
 * through unchanged.
 */
export function readJsonLines(source: ByteSource, options: ReadJsonLinesOptions): RowReader {
  const batchRows = batchRowsOption(options.batchRows);
  const maxLineChars = maxCharsOption('maxLineChars', options.maxLineChars);
  const convert = compileRecord(options.fields, 'json');
  return rowReader(options.onBadRecord ?? 'fail', async function* (bad) {
    const batches = new TextBatches(batchRows);
    let record = -1;
    for await (const lines of jsonLines(source, { signal: options.signal, maxLineChars })) {
      for (const { value, line } of lines) {
        record += 1;
        let row: Row;
        try {
          row = convert(objectOf(value));
        } catch (error) {
          bad.handle(error, () => recordIssue(error, 'JSON line', { key: source.name, line }));
          continue;
        }
        const full = batches.add(row, { row: record, line });
        if (full !== undefined) {
          yield full;
          options.signal?.throwIfAborted();
        }
      }
    }
    const rest = batches.flush();
    if (rest !== undefined) yield rest;
  });
}

/**
 * Infers the fields of a JSON Lines file from its first `sampleRows` objects (rules in infer.ts).
 * @throws RecordError for a bad line in the sample (under `fail`), or broken gzip.
 */
export async function inferJsonLinesFields(
  source: ByteSource,
  options: InferJsonLinesOptions = {},
): Promise<Field[]> {
  const limit = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const policy = options.onBadRecord ?? 'fail';
  const sample: Record<string, unknown>[] = [];
  const lineOptions = {
    signal: options.signal,
    maxLineChars: maxCharsOption('maxLineChars', options.maxLineChars),
  };
  outer: for await (const lines of jsonLines(source, lineOptions)) {
    for (const { value, line } of lines) {
      if (sample.length >= limit) break outer;
      try {
        sample.push(objectOf(value));
      } catch (error) {
        const issue = recordIssue(error, 'JSON line', { key: source.name, line });
        if (policy === 'fail') throw issue;
      }
    }
  }
  return inferFields(sample, 'json');
}

interface ParsedLine {
  /** The parsed value, or the error parsing it gave (thrown when the caller converts it). */
  readonly value: unknown;
  readonly line: number;
}

interface LineOptions {
  readonly signal: AbortSignal | undefined;
  readonly maxLineChars: number;
}

/** Parsed non-blank lines, one array per chunk of text read (not one await per line). */
async function* jsonLines(
  source: ByteSource,
  { signal, maxLineChars }: LineOptions,
): AsyncGenerator<ParsedLine[], void, undefined> {
  const stream = await openStream(source, signal);
  const decoder = new TextDecoder();
  const splitter = new LineSplitter(maxLineChars);
  let line = 0;
  const parse = (texts: (string | typeof LONG_LINE)[]): ParsedLine[] => {
    const out: ParsedLine[] = [];
    for (const text of texts) {
      line += 1;
      if (text === LONG_LINE) {
        const reason = `cannot read JSON line: ${tooLongReason('line', maxLineChars)}`;
        const error = new RecordError(reason, { position: { key: source.name, line } });
        out.push({ value: new ParseFailure(error), line });
      } else if (!isBlank(text)) {
        out.push({ value: parseOrError(text), line });
      }
    }
    return out;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      yield parse(splitter.push(decoder.decode(chunk, { stream: true })));
      signal?.throwIfAborted();
    }
    yield parse([...splitter.push(decoder.decode()), ...splitter.end()]);
  } catch (error) {
    throw streamError(error, source);
  } finally {
    stream.destroy();
  }
}

class ParseFailure {
  constructor(readonly error: unknown) {}
}

function parseOrError(text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    return new ParseFailure(error);
  }
}

/** The line's object, or throws why it is not one. */
function objectOf(value: unknown): Record<string, unknown> {
  if (value instanceof ParseFailure) throw value.error;
  if (isPlainObject(value) && !(value instanceof NumberText)) return value;
  const got = Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : `a ${value instanceof NumberText ? 'number' : typeof value}`;
  return fail('a JSON object', got);
}

function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');
}
