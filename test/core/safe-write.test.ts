import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeFileSafely, writeOutput } from '../../core/safe-write.js';
import { expectError } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** Nothing but the named entries in `dir`: no temporary file left behind. */
function expectOnly(dir: string, names: string[]): void {
  expect(readdirSync(dir).sort()).toEqual([...names].sort());
}

describe('writeFileSafely', () => {
  it('creates a new file, and replaces a regular file keeping its permission bits', () => {
    const dir = tempDir();
    const file = join(dir, 'out.yaml');
    writeFileSafely(file, 'one\n');
    expect(readFileSync(file, 'utf8')).toBe('one\n');
    chmodSync(file, 0o600);
    writeFileSafely(file, 'two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(statSync(file).mode & 0o7777).toBe(0o600);
    expectOnly(dir, ['out.yaml']);
  });

  it('writes through a symlink to a regular file, keeping the link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'inventory.yaml'), 'old\n', { mode: 0o640 });
    symlinkSync('real/inventory.yaml', join(dir, 'link.yaml'));
    writeFileSafely(join(dir, 'link.yaml'), 'new\n');
    expect(readlinkSync(join(dir, 'link.yaml'))).toBe('real/inventory.yaml');
    expect(readFileSync(join(dir, 'real', 'inventory.yaml'), 'utf8')).toBe('new\n');
    expect(statSync(join(dir, 'real', 'inventory.yaml')).mode & 0o777).toBe(0o640);
    expectOnly(join(dir, 'real'), ['inventory.yaml']);
  });

  it('refuses a symlink to nothing or to a directory, a directory, and a FIFO, leaving each as it was', async () => {
    const dir = tempDir();
    symlinkSync('missing.yaml', join(dir, 'dangling'));
    symlinkSync('.', join(dir, 'to-dir'));
    mkdirSync(join(dir, 'folder'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const cases: Array<[string, string]> = [
      ['dangling', 'is a symlink to nothing'],
      ['to-dir', `is a symlink to a directory (${dir})`],
      ['folder', 'is a directory'],
      ['fifo', 'is a FIFO (named pipe)'],
    ];
    for (const [name, what] of cases) {
      const err = await expectError(() => writeFileSafely(join(dir, name), 'x'), { code: 'ERR_MODELHUB_OUTPUT_REFUSED', hint: '- for stdout' });
      expect(err.message).toBe(`${join(dir, name)} ${what}; ModelHub writes only regular files`);
    }
    expect(readlinkSync(join(dir, 'dangling'))).toBe('missing.yaml');
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expectOnly(dir, ['dangling', 'to-dir', 'folder', 'fifo']);
  });

  it('refuses a socket and a device', async () => {
    const dir = tempDir();
    const sock = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      await expectError(() => writeFileSafely(sock, 'x'), { message: 'is a socket' });
    } finally {
      await new Promise((r) => server.close(r));
    }
    symlinkSync('/dev/null', join(dir, 'null-link'));
    await expectError(() => writeFileSafely(join(dir, 'null-link'), 'x'), { message: 'is a symlink to a character device (/dev/null)' });
    expect(readlinkSync(join(dir, 'null-link'))).toBe('/dev/null');
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
      await expectError(() => writeFileSafely(join(dir, 'null'), 'x'), { message: 'is a character device' });
      expect(lstatSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
    }
  });

  it('names the folder that does not exist', async () => {
    const file = join(tempDir(), 'no', 'such', 'out.yaml');
    const err = await expectError(() => writeFileSafely(file, 'x'), { code: 'ERR_MODELHUB_OUTPUT_FAILED' });
    expect(err.message).toBe(`cannot write ${file}: its folder does not exist`);
  });
});

describe('writeOutput', () => {
  it('writes - to stdout and anything else relative to the working folder', () => {
    const dir = tempDir();
    let out = '';
    const stdout = new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) });
    expect(writeOutput('-', 'to stdout\n', { cwd: dir, stdout })).toBe('-');
    expect(out).toBe('to stdout\n');
    expect(writeOutput('f.txt', 'to a file\n', { cwd: dir, stdout })).toBe(join(dir, 'f.txt'));
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('to a file\n');
    expectOnly(dir, ['f.txt']);
  });
});
