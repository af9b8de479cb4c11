/**
 * The API bundle as pure ASCII, so its loader reads it as latin1 (a copy) instead of decoding UTF-8
 * (130-170 ms for 10 MiB on this VM, a tenth of the boot). esbuild escapes non-ASCII in strings and
 * templates but leaves it in regular expression literals (validator.js has alphabets for dozens of
 * locales); those characters become `\uXXXX`, which a regular expression reads as the same
 * character, in a character class too, with or without the `u` flag (an astral character becomes
 * its surrogate pair, which `u` mode reads back as one code point). The source map's generated
 * columns are moved along, so it stays exact.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`source map: bad VLQ character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

function encodeVlq(values: number[]): string {
  let out = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = rest & 31;
      rest >>>= 5;
      if (rest) digit |= 32;
      out += BASE64[digit];
    } while (rest);
  }
  return out;
}

export interface SourceMapLike {
  mappings: string;
}

/** Escapes every non-ASCII UTF-16 unit of `code` and shifts `map`'s generated columns to match. */
export function asciiOnly(code: string, map: SourceMapLike): { code: string; map: SourceMapLike } {
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    if (!/[^\x00-\x7f]/.test(line)) continue;
    const added: { at: number; extra: number }[] = [];
    let out = '';
    for (let i = 0; i < line.length; i++) {
      const unit = line.charCodeAt(i);
      if (unit < 0x80) {
        out += line[i];
        continue;
      }
      let backslashes = 0;
      for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) backslashes++;
      if (backslashes % 2) throw new Error(`bundle line ${l + 1}: an escaped non-ASCII character (column ${i}): review asciiOnly()`);
      out += `\\u${unit.toString(16).padStart(4, '0')}`;
      added.push({ at: i, extra: 5 });
    }
    lines[l] = out;
    if (mappingLines[l]) mappingLines[l] = shiftColumns(mappingLines[l]!, added);
  }
  return { code: lines.join('\n'), map: { ...map, mappings: mappingLines.join(';') } };
}

/** One line's segments with each generated column moved past the characters added before it. */
function shiftColumns(line: string, added: { at: number; extra: number }[]): string {
  let column = 0;
  let previousShifted = 0;
  return line
    .split(',')
    .map((segment) => {
      const [delta, ...rest] = decodeVlq(segment);
      column += delta!;
      const shifted = column + added.filter((a) => a.at < column).reduce((sum, a) => sum + a.extra, 0);
      const encoded = encodeVlq([shifted - previousShifted]) + (rest.length ? encodeVlq(rest) : '');
      previousShifted = shifted;
      return encoded;
    })
    .join(',');
}
