import { SourceMap } from 'node:module';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { asciiOnly } from './ascii-bundle.js';

const SOURCE = [
  'const letters = /^[A-ZÄÖÜß]+$/i, greek = /^[Α-ώ]+$/u, emoji = /^[😀-😊]$/u;',
  'const label = "Grüße";',
  'export function check(word) { return [letters.test(word), greek.test(word), emoji.test(word), label]; }',
].join('\n');

describe('asciiOnly', () => {
  const built = transformSync(SOURCE, { format: 'cjs', minifyWhitespace: true, sourcemap: 'external', sourcefile: 'input.js' });
  const original = { code: built.code, map: JSON.parse(built.map) as { mappings: string } };
  const ascii = asciiOnly(original.code, original.map);

  const run = (code: string) => {
    const module = { exports: {} as { check(word: string): unknown[] } };
    vm.runInNewContext(code, { module, exports: module.exports });
    return module.exports.check;
  };

  it('leaves esbuild output that still holds non-ASCII in regular expressions pure ASCII', () => {
    expect(original.code).toMatch(/[^\x00-\x7f]/);
    expect(ascii.code).not.toMatch(/[^\x00-\x7f]/);
  });

  it('matches exactly what the original matched, with and without the u flag, astral characters included', () => {
    const before = run(original.code);
    const after = run(ascii.code);
    for (const word of ['ÄÖÜ', 'abcß', 'Ωμέγα', 'x', '😃', '😋', 'Grüße']) expect(after(word)).toEqual(before(word));
    expect(after('😃')[2]).toBe(true);
  });

  it('keeps the source map pointing at the same original positions for the code after an escaped character', () => {
    const find = (code: string, token: string) => {
      const lines = code.split('\n');
      const line = lines.findIndex((l) => l.includes(token));
      return { line, column: lines[line]!.indexOf(token) };
    };
    for (const token of ['greek', 'emoji', 'check']) {
      const a = find(original.code, token);
      const b = find(ascii.code, token);
      const was = new SourceMap(original.map as never).findEntry(a.line, a.column);
      const now = new SourceMap(ascii.map as never).findEntry(b.line, b.column);
      expect(b.column).toBeGreaterThanOrEqual(a.column);
      expect(now).toMatchObject({ originalLine: (was as { originalLine: number }).originalLine, originalColumn: (was as { originalColumn: number }).originalColumn });
    }
  });

  it('refuses an escaped non-ASCII character, whose escape would change meaning', () => {
    expect(() => asciiOnly('const a = /\\ä/;', { mappings: '' })).toThrow(/escaped non-ASCII/);
  });
});
