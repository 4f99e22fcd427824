/** With --json, a usage error (unknown option or command, missing argument, bad value) is JSON on stdout too. */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface UsageJson {
  error: { code: string; message: string; hint?: string };
}

describe('usage errors under --json', () => {
  it.each([
    [['--json', 'list', '--bogus'], "unknown option '--bogus'", 'modelhub list --help'],
    [['list', '--bogus', '--json'], "unknown option '--bogus'", 'modelhub list --help'],
    [['--json', 'list', '--sort', 'colour'], "option '--sort <key>' argument 'colour' is invalid. Allowed choices are name, size, type, date.", 'modelhub list --help'],
    [['--json', 'list', '--limit', 'many'], '"many" is not a positive whole number', 'modelhub list --help'],
    [['--json', 'show'], "missing required argument 'model'", 'modelhub show --help'],
    [['--json', 'stats', 'extra'], "too many arguments for 'stats'", 'modelhub stats --help'],
    [['--json', 'lst'], "unknown command 'lst'; did you mean one of list, ls?", 'modelhub --help'],
    [['--json', '--bogus', 'list'], "unknown option '--bogus'", 'modelhub --help'],
    [['--json'], 'no command given', 'modelhub --help'],
  ])('%j prints the error as JSON on stdout, the text on stderr, exit 1', async (args, message, hint) => {
    const r = await cli(['--hub', tempDir(), ...args]);
    expect(r.code).toBe(1);
    const out = r.json<UsageJson>();
    expect(out.error.code).toBe('ERR_MODELHUB_USAGE');
    expect(out.error.message).toContain(message);
    expect(out.error.hint).toContain(hint);
    expect(r.stderr).toMatch(/error: |Usage: modelhub/);
  });

  it('without --json stdout stays empty', async () => {
    const r = await cli(['list', '--bogus']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: unknown option '--bogus'");
  });

  it('--help and --version under --json still print their text and exit 0', async () => {
    const help = await cli(['--json', 'list', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: modelhub list');
  });
});
