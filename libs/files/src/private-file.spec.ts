import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateFile, openCreatingPrivately, writePrivateFile } from './private-file';

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** Runs `work` under a umask, then puts the old one back. */
function underUmask<T>(mask: number, work: () => T): T {
  const saved = process.umask(mask);
  try {
    return work();
  } finally {
    process.umask(saved);
  }
}

describe.each(['022', '000', '277'])('files created 0600 under umask %s', (umask) => {
  const mask = parseInt(umask, 8);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'private-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('createPrivateFile and writePrivateFile make 0600 files; an existing file keeps its mode', () => {
    underUmask(mask, () => {
      expect(createPrivateFile(join(dir, 'a'))).toBe(true);
      writePrivateFile(join(dir, 'key.pem'), 'secret\n');
    });
    expect(modeOf(join(dir, 'a'))).toBe(0o600);
    expect(modeOf(join(dir, 'key.pem'))).toBe(0o600);
    expect(readFileSync(join(dir, 'key.pem'), 'utf8')).toBe('secret\n');
    writeFileSync(join(dir, 'shared.log'), 'x');
    chmodSync(join(dir, 'shared.log'), 0o640);
    underUmask(mask, () => expect(createPrivateFile(join(dir, 'shared.log'))).toBe(false));
    expect(modeOf(join(dir, 'shared.log'))).toBe(0o640);
  });

  it('openCreatingPrivately restricts a file a library created, not one that was there', () => {
    const file = join(dir, 'made-by-a-library');
    underUmask(mask, () => openCreatingPrivately(file, () => writeFileSync(file, 'x', { mode: 0o666 })));
    expect(modeOf(file)).toBe(0o600);
    chmodSync(file, 0o644);
    underUmask(mask, () => openCreatingPrivately(file, () => writeFileSync(file, 'y')));
    expect(modeOf(file)).toBe(0o644);
  });
});
