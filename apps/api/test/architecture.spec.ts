import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findViolations, readSources } from '../../../libs/devtools/src/architecture/boundaries.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the codebase', () => {
  it('keeps bounded contexts apart, TypeORM in persistence files and contracts plain', () => {
    const files = readSources(root, ['apps/api/src', 'libs/contracts/src']);
    expect(files.length).toBeGreaterThan(0);
    const violations = findViolations(files).map((v) => `${v.path}:${v.line} ${v.rule}: ${v.detail}`);
    expect(violations).toEqual([]);
  });
});
