/**
 * The command table of cmd/program.ts: each entry's names are what its module declares, every
 * module declaring a command is in it, and the command word is found past global options.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { COMMANDS } from '../../cmd/program.js';
import { commandWord } from '../../cmd/tui-default.js';

describe('COMMANDS', () => {
  it.each(COMMANDS.map((c) => [c.names[0], c] as const))('%s: the names listed are the names its module declares', async (_name, entry) => {
    const program = new Command('modelhub');
    (await entry.load()).register(program);
    expect(program.commands.map((c) => [c.name(), ...c.aliases()])).toEqual([entry.names]);
  });

  it('lists every module that declares a command', () => {
    const dir = join(packageRoot(), 'cmd');
    const declaring = readdirSync(dir).filter((f) => f.endsWith('.ts') && /export function register\(/.test(readFileSync(join(dir, f), 'utf8')));
    const table = readFileSync(join(dir, 'program.ts'), 'utf8');
    const listed = [...table.matchAll(/load: \(\) => import\('\.\/([\w-]+)\.js'\)/g)].map((m) => m[1]);
    expect(listed).toHaveLength(COMMANDS.length);
    expect(listed.sort()).toEqual(declaring.map((f) => f.replace(/\.ts$/, '')).sort());
  });
});

describe('commandWord', () => {
  it('is the first word that is neither a global option nor its value', () => {
    expect(commandWord(['--hub', 'list', '--json', 'plan', '--target', 'x'])).toBe('plan');
    expect(commandWord(['-q', '--offline', 'ls'])).toBe('ls');
    expect(commandWord(['--lock-timeout', '5m', '--manifests', 'm', '--config', 'c', 'apply'])).toBe('apply');
    expect(commandWord(['--json'])).toBeUndefined();
    expect(commandWord(['--', 'status'])).toBe('status');
  });
});
