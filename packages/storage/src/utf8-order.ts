/**
 * Compares two strings by the byte order of their UTF-8 forms (S3's key order), without encoding
 * them. Negative when `a` sorts first, 0 when equal, positive otherwise.
 *
 * JavaScript's `<` compares UTF-16 code units, which agrees with UTF-8 byte order except that
 * surrogates (code points from U+10000) sort below U+E000–U+FFFF; the first differing unit is
 * remapped to restore code point order, which is UTF-8 byte order.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
