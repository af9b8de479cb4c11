import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The house rules of ../shared/ARCHITECTURE.md that a machine can check on import lines. */
export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  source: string;
}

export interface Violation {
  path: string;
  line: number;
  rule: 'cross-context-import' | 'typeorm-outside-persistence' | 'contracts-depend-on-implementation';
  detail: string;
}

const MODULES = 'apps/api/src/modules/';
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/;
// Files of a context that may speak TypeORM: persistence, module wiring, and tests.
const PERSISTENCE = /\.(repository|entity|module)\.ts$|\.(int-spec|e2e-spec|contract-spec)\.ts$|\/seed\//;

function contextOf(path: string): string | null {
  return path.startsWith(MODULES) ? (path.slice(MODULES.length).split('/')[0] ?? null) : null;
}

function resolveRelative(from: string, specifier: string): string {
  return relative('/', resolve('/', dirname(from), specifier)).replace(/\\/g, '/');
}

export function findViolations(files: SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const context = contextOf(file.path);
    file.source.split('\n').forEach((text, index) => {
      const match = IMPORT.exec(text);
      const specifier = match?.[1] ?? match?.[2];
      if (!specifier) return;
      const line = index + 1;
      const target = specifier.startsWith('.') ? resolveRelative(file.path, specifier) : specifier;
      if (context) {
        const other = contextOf(target);
        if (other && other !== context) {
          violations.push({ path: file.path, line, rule: 'cross-context-import', detail: `${context} imports ${other} (${specifier}); use its contract in libs/contracts/${other}` });
        }
        if ((specifier === 'typeorm' || specifier.startsWith('typeorm/') || specifier === '@nestjs/typeorm') && !PERSISTENCE.test(file.path)) {
          violations.push({ path: file.path, line, rule: 'typeorm-outside-persistence', detail: `${specifier} in ${file.path}; TypeORM belongs in *.repository.ts and *.entity.ts` });
        }
      }
      if (file.path.startsWith('libs/contracts/') && (target.startsWith('apps/') || specifier === '#platform' || specifier.includes('typeorm'))) {
        violations.push({ path: file.path, line, rule: 'contracts-depend-on-implementation', detail: `contracts must stay plain TypeScript, not import ${specifier}` });
      }
    });
  }
  return violations;
}

/** Every TypeScript file under the given folders of the repository. */
export function readSources(root: string, folders: string[]): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push({ path, source: readFileSync(join(root, path), 'utf8') });
    }
  };
  folders.forEach(walk);
  return files;
}
