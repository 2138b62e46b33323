import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's own files (package.json, spec/, fixtures/, bin/) are found
// from this module's location, which differs between the sources (src/),
// the compiled library (dist/src/) and the bundled command line (dist/cli/):
// the root is the nearest ancestor directory holding a package.json.
const findRoot = (from: string): string => {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
};

/** The directory holding relspec's package.json. */
export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('spec', 'RULES.md')`. */
export const packagePath = (...parts: readonly string[]): string => join(PACKAGE_ROOT, ...parts);

/** The package version from package.json ("0.0.0" if it cannot be read). */
export const packageVersion = (): string => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(packagePath('package.json'), 'utf8'));
    const version = (pkg as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/** True when this code runs from the TypeScript sources (through tsx), not a build. */
export const RUNNING_SOURCES: boolean = import.meta.url.endsWith('.ts');

/** The curated golden fixtures shipped with the package. */
export const FIXTURES_DIR: string = packagePath('fixtures');

/**
 * The shell command that starts this relspec's own `relspec <args>`: the
 * sources through tsx (bin/relspec.js) when running from the sources, so
 * tests never run a stale build; the bundled command line otherwise.
 */
export const selfCommand = (args: string): string => {
  const entry = RUNNING_SOURCES
    ? packagePath('bin', 'relspec.js')
    : packagePath('dist', 'cli', 'relspec.js');
  return `'${process.execPath}' '${entry}' ${args}`;
};

/** The built-in reference as a child process (`relspec serve`). */
export const REFERENCE_COMMAND: string = selfCommand('serve');
