import { fail, failType } from './issue.js';

/**
 * Exact decimals. A ferry decimal value (a string such as `"-12.3400"`, or a finite number) is
 * turned into its *unscaled* digits at the field's scale (`-123400` for scale 4) by string
 * manipulation only, so no digit is lost to floating point. A value needing more fraction digits
 * than the scale, or more integer digits than `precision - scale`, is rejected, never rounded.
 * A number is read through its shortest round-trip text (`String(0.1)` is `"0.1"`).
 */
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * The unscaled digits of `value` at `scale`, with a leading `-` when negative: `"-123400"` for
 * `"-12.34"` at scale 4. Zero is `"0"` (never `"-0"`).
 */
export function unscaledDecimal(value: unknown, precision: number, scale: number): string {
  const expected = `a decimal(${precision},${scale}) as a string or finite number`;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return failType(expected, value);
  const m = DECIMAL_PATTERN.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (m === null || intPart.length + fracPart.length === 0) fail(expected, 'a non-numeric string');
  let digits = intPart + fracPart;
  let point = intPart.length + Number(m[4] ?? '0');
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const fractionDigits = digits.length - point;
  if (fractionDigits > scale) {
    const cut = digits.length - (fractionDigits - scale);
    if (/[^0]/.test(digits.slice(cut)))
      fail(expected, `a value with more than ${scale} fraction digits`);
    digits = digits.slice(0, cut);
  } else {
    digits += '0'.repeat(scale - fractionDigits);
  }
  digits = digits.replace(/^0+/, '');
  if (digits.length > precision) {
    fail(expected, `a value with more than ${precision - scale} integer digits`);
  }
  if (digits === '') return '0';
  return m[1] === '-' ? '-' + digits : digits;
}

/** The decimal text of unscaled digits at `scale`: `"-12.3400"` for `"-123400"` at scale 4. */
export function decimalText(unscaled: string, scale: number): string {
  if (scale === 0) return unscaled;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? '-' + text : text;
}

/** Bytes of the shortest two's complement big-endian integer holding `precision` digits. */
export function decimalByteLength(precision: number): number {
  // Parquet's rule for FIXED_LEN_BYTE_ARRAY decimals: the smallest n with 2^(8n-1) > 10^p.
  let n = 1;
  while (2n ** BigInt(8 * n - 1) <= 10n ** BigInt(precision)) n += 1;
  return n;
}

/** An unscaled decimal as `length` bytes of big-endian two's complement. */
export function decimalBytes(unscaled: string, length: number): Buffer {
  let value = BigInt(unscaled);
  const bytes = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i -= 1) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}
