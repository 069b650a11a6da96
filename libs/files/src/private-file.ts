import { chmodSync, closeSync, constants, existsSync, fchmodSync, openSync, writeSync } from 'node:fs';

/**
 * Files only their owner may read or write (0600), whatever the umask: the ledger and its
 * -wal/-shm files, the read models, the API keys, the request log, a signing key. A umask
 * only takes bits away (022 leaves 0644 files readable by everyone; 000 even writable), and
 * a mode given to open() is still cut by it: so the mode is set again on the open file.
 * A file that already exists keeps its mode: an operator may have chosen another one.
 */
export const PRIVATE_MODE = 0o600;

/** Creates `file`, empty, 0600, unless it exists; true when this call created it. */
export function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, PRIVATE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fchmodSync(fd, PRIVATE_MODE);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** `openSync(file, flags)`, the file created 0600 when missing ('a' for a log, 'r+' for a file to update...). */
export function openPrivateFile(file: string, flags: 'a' | 'a+' | 'r+' | 'w' | 'w+'): number {
  createPrivateFile(file);
  return openSync(file, flags);
}

/** Writes a whole file (a signing key): 0600 when it did not exist. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const fd = openPrivateFile(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * For a file a library creates (a SQLite database): `open()` it, then, if it did not exist
 * before, set it to 0600 before anything is written in it. SQLite creates a database's
 * -wal, -shm and -journal files with the database file's own mode, so they follow.
 */
export function openCreatingPrivately<T>(file: string, open: () => T): T {
  const existed = file === ':memory:' || file === '' || existsSync(file);
  const opened = open();
  if (!existed && existsSync(file)) chmodSync(file, PRIVATE_MODE);
  return opened;
}
