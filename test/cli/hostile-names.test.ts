/**
 * File names and metadata are untrusted: every command shows them with control and invisible
 * format characters escaped, never raw; --json keeps the exact characters.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from '../fixtures/keysets.js';
import { writeSafetensors } from '../fixtures/writers.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Names a downloaded file could carry, each with its escaped form. */
const HOSTILE: Array<{ raw: string; shown: string }> = [
  { raw: 'red\x1b[31mtext', shown: 'red\\e[31mtext' },
  { raw: 'clear\x1b[2J\x1b[Hscreen', shown: 'clear\\e[2J\\e[Hscreen' },
  { raw: 'title\x1b]0;pwned\x07bell', shown: 'title\\e]0;pwned\\x07bell' },
  { raw: 'carriage\rreturn', shown: 'carriage\\rreturn' },
  { raw: 'new\nline', shown: 'new\\nline' },
  { raw: 'bidi\u202egpj.exe', shown: 'bidi\\u{202e}gpj.exe' },
  { raw: 'zero\u200bwidth\ufeffbom', shown: 'zero\\u{200b}width\\u{feff}bom' },
  { raw: 'c1\u009bcsi\u0085nel', shown: 'c1\\u{9b}csi\\u{85}nel' },
  { raw: 'del\x7fete', shown: 'del\\x7fete' },
];
/** Ordinary Unicode, shown as it is. */
const FRIENDLY = ['日本語_画風', 'café_crème', 'family👨‍👩‍👧_emoji'];

/** Any character that must never reach a terminal raw (newline and tab are ModelHub's own layout). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u00ad\u200b-\u200c\u200e-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|(?<!\p{Extended_Pictographic})\u200d/u;

function expectNoRawControl(r: CliResult, what: string): void {
  for (const [stream, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    const m = RAW_CONTROL.exec(text);
    expect(m === null ? null : `${what} ${stream}: raw U+${(m[0].codePointAt(0) ?? 0).toString(16)} in ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`).toBeNull();
  }
}

async function hostileWorld() {
  const root = tempDir();
  const dl = join(root, 'dl');
  const apps = join(root, 'apps');
  const manifests = join(root, 'manifests');
  for (const d of [dl, apps, manifests]) mkdirSync(d, { recursive: true });
  const names = [...HOSTILE.map((h) => h.raw), ...FRIENDLY];
  for (const [i, name] of names.entries()) {
    const metadata = { ...K.kohyaLoraMetadata({ base: 'sdxl', rank: 4, tags: { [`trigger\x1b[5m${i}`]: 3, [name]: 2 } }), ss_output_name: name, 'modelspec.title': `${name}\x1b]8;;http://x/\x07`, 'modelspec.trigger_phrase': 'trig\x1b[5mger' };
    await writeSafetensors(join(dl, `${name}.safetensors`), K.kohyaLora({ base: 'sdxl', rank: 4 }), { metadata });
  }
  // the same file at a second hostile path: a duplicate group for `dupes`
  copyFileSync(join(dl, `${HOSTILE[0]?.raw}.safetensors`), join(dl, `copy\x1b[2J${HOSTILE[0]?.raw}.safetensors`));
  writeFileSync(
    join(manifests, 'comfy.yaml'),
    `kind: Target\nname: comfy\nroot: ${join(apps, 'comfy')}\nenabled: true\nmappings:\n  lora: loras\n---\nkind: Deployment\nname: loras\ntarget: comfy\nselect: { type: lora }\n`,
  );
  mkdirSync(join(apps, 'comfy'));
  const base = ['--hub', join(root, 'hub'), '--manifests', manifests];
  const run = (args: string[]): Promise<CliResult> => cli([...base, ...args], { cwd: root, env: { HOME: root } });
  return { root, dl, run };
}

describe('untrusted names in human output', () => {
  it('every command escapes control and invisible characters, and keeps ordinary Unicode', async () => {
    const { dl, run } = await hostileWorld();
    const scan = await run(['scan', '--copy', dl]);
    expect(scan.code, scan.stderr).toBe(0);
    expectNoRawControl(scan, 'scan');
    for (const h of HOSTILE) expect(scan.stdout).toContain(`${h.shown}.safetensors`);
    for (const f of FRIENDLY) expect(scan.stdout).toContain(`${f}.safetensors`);

    const listed = await run(['list', '--json']);
    const models = listed.json<Array<{ hash: string; name: string }>>();
    // JSON keeps the exact characters
    for (const h of HOSTILE) expect(models.some((m) => m.name.endsWith(`${h.raw}.safetensors`)), h.shown).toBe(true);
    const hostileHash = models.find((m) => m.name.endsWith(`${HOSTILE[0]?.raw}.safetensors`))?.hash ?? '';

    const list = await run(['list']);
    expectNoRawControl(list, 'list');
    for (const h of HOSTILE) expect(list.stdout).toContain(h.shown);
    for (const f of FRIENDLY) expect(list.stdout).toContain(f);

    for (const args of [['show', hostileHash], ['explain', hostileHash], ['stats'], ['plan'], ['apply', '--yes'], ['status'], ['verify'], ['verify', '--fast'], ['dupes'], ['inspect', join(dl, `${HOSTILE[1]?.raw}.safetensors`)]]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThan(2);
      expectNoRawControl(r, args[0] ?? '');
      // A hostile name is never made into a link: an unsafe-name conflict, shown escaped.
      if (args[0] === 'plan') expect(r.stdout).toContain(`! loras/${HOSTILE[2]?.shown}.safetensors  unsafe-name`);
      if (args[0] === 'apply') expect(r.stderr).toContain(`loras/${HOSTILE[3]?.shown}.safetensors: unsafe-name`);
    }
    const show = await run(['show', hostileHash]);
    expect(show.stdout).toContain('trig\\e[5mger');
    expect(show.stdout).toContain('\\e]8;;http://x/\\x07');
    const dupes = await run(['dupes']);
    expect(dupes.stdout).toContain(`copy\\e[2J${HOSTILE[0]?.shown}.safetensors`);

    const del = await run(['delete', hostileHash]);
    expectNoRawControl(del, 'delete');
    const outputs: string[] = [];
    for (const args of [['plan'], ['apply', '--yes'], ['gc'], ['prune'], ['hashes'], ['restore', hostileHash]]) {
      const r = await run(args);
      expectNoRawControl(r, args[0] ?? '');
      outputs.push(r.stdout);
    }
    expect(outputs[0]).not.toContain(`copy\\e[2J${HOSTILE[0]?.shown}`);
    expect(outputs[2]).toContain(HOSTILE[0]?.shown);
  });

  it('error messages and usage errors escape what they quote', async () => {
    const { run } = await hostileWorld();
    const missing = await run(['show', 'no\x1b[2Jsuch\u202emodel']);
    expect(missing.code).toBe(1);
    expectNoRawControl(missing, 'show');
    const badFile = await run(['scan', join(tempDir(), 'gone\x1b]0;x\x07.safetensors')]);
    expectNoRawControl(badFile, 'scan');
    const usage = await run(['list', '--sort', 'x\x1b[2J']);
    expect(usage.code).toBe(1);
    expectNoRawControl(usage, 'usage');
  });
});
