/**
 * Boundary scenarios: what plan and apply refuse to trust or follow. Broken links are not "in
 * sync", one name clash does not stop the other paths, roots and folders are judged on their
 * resolved paths, apply never works through a symlinked folder below a target root, ownership
 * needs the recorded inode, and a saved plan is re-planned before anything runs. The runner
 * checks that nothing foreign changed around every command.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLinkOrNull } from '../helpers/tree.js';
import { addModel, execSql, query, writeManifest } from '../helpers/world.js';
import { APPLY, IN_SYNC, comfyTarget, expectAbsent, expectAllLinked, expectLink, runScenario, standardSetup, storeFile, type Ctx, type Scenario } from './runner.js';

/** Edit the saved plan `p.json` by hand. */
function editPlan(c: Ctx, edit: (plan: { changes: Array<Record<string, unknown>> }) => void): void {
  const file = join(c.w.root, 'p.json');
  const plan = JSON.parse(readFileSync(file, 'utf8')) as { changes: Array<Record<string, unknown>> };
  edit(plan);
  writeFileSync(file, JSON.stringify(plan));
}

/** The deployment declaring everything but LoRAs: apply would remove loras/a.safetensors. */
const WITHOUT_LORAS = 'kind: Deployment\nname: all\ntarget: comfy\nselect: { type: [checkpoint, vae] }\n';

/** The standard models, with the comfy target's root replaced by `root(c)`. */
function setupWithRoot(root: (c: Ctx) => string): (c: Ctx) => void {
  return (c) => {
    standardSetup(c);
    writeManifest(c.w, 'comfy.yaml', comfyTarget(c).replace(`root: ${c.comfy}`, `root: ${root(c)}`));
  };
}

/** The store holds exactly the model folders of the setup, nothing apply made. */
function expectStoreUntouched(c: Ctx): void {
  expect(readdirSync(join(c.w.hub, 'models')).filter((n) => !/^[0-9a-f]{64}$/.test(n) && n !== 'README.txt' && !n.startsWith('.'))).toEqual([]);
}

/** A downloaded file's name that would clear the screen and reverse the text after it. */
const EVIL = 'evil\u001b[2J\u202e.safetensors';

const SCENARIOS: Scenario[] = [
  {
    name: 'a deployed link whose store file is gone is a conflict in plan and status, not in sync',
    steps: [
      { run: APPLY },
      {
        act: (c) => rmSync(storeFile(c, 'a.safetensors')),
        run: ['plan', '--detailed-exitcode'],
        exit: 1,
        stdout: [/! loras\/a\.safetensors {2}store-file-missing: .*a\.safetensors is missing/, 'Plan: 0 to link, 0 to relink, 0 to remove, 1 conflict.'],
      },
      { run: ['status'], stdout: [/comfy +enabled +3 +2 +0 +0 +0 +1 +1 +0/, /! loras\/a\.safetensors {2}store-file-missing/, /broken link .*loras\/a\.safetensors/] },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: the model is gone from the store: `modelhub scan` a copy of it'] },
    ],
  },
  {
    name: 'two models on one link path are one name-clash conflict naming both and an Override; every other path is planned',
    setup: (c) => {
      standardSetup(c);
      c.h['twin'] = addModel(c.w, { filename: 'a.safetensors', type: 'lora', base: 'sdxl', content: 'another a' });
    },
    steps: [
      {
        run: ['plan'],
        exit: 1,
        stdout: [
          /! loras\/a\.safetensors {2}name-clash: a\.safetensors \([0-9a-f]{12}, deployment all\) and a\.safetensors \([0-9a-f]{12}, deployment all\)/,
          '+ checkpoints/b.safetensors',
          '+ vae/c.safetensors',
          /kind: Override\n +match: \{ hash: [0-9a-f]{12} \}\n +set: \{ name: a-[0-9a-f]{8}\.safetensors \}/,
          'Plan: 2 to link, 0 to relink, 0 to remove, 1 conflict.',
        ],
      },
      { run: ['status'], stdout: [/comfy +enabled +3 +0 +2 +0 +0 +1 +0 +0/, /! loras\/a\.safetensors {2}name-clash/] },
      {
        run: ['plan', '--json'],
        exit: 1,
        check: (c) => {
          const [conflict] = c.last.json<{ conflicts: Array<{ reason: string; claims: Array<{ hash: string; deployments: string[] }> }> }>().conflicts;
          expect(conflict).toMatchObject({ reason: 'name-clash' });
          expect(conflict!.claims.map((k) => k.hash).sort()).toEqual([c.h['a.safetensors'], c.h['twin']].sort());
        },
      },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: rename one of the models with an Override (set.name)'], check: (c) => expectAbsent(c, 'checkpoints') },
      {
        act: (c) => writeManifest(c.w, 'rename.yaml', `kind: Override\nmatch: { hash: ${c.h['twin']!.slice(0, 12)} }\nset: { name: a-twin.safetensors }\n`),
        run: APPLY,
        check: (c) => (expectLink(c, 'loras/a.safetensors', 'a.safetensors'), expectLink(c, 'vae/c.safetensors', 'c.safetensors')),
      },
      IN_SYNC,
    ],
  },
  {
    name: 'a model whose file name holds control characters is an unsafe-name conflict; an Override name settles it',
    setup: (c) => {
      standardSetup(c);
      c.h[EVIL] = addModel(c.w, { filename: EVIL, type: 'lora', base: 'sdxl' });
    },
    steps: [
      {
        run: ['plan'],
        exit: 1,
        stdout: [/! loras\/evil.*unsafe-name: the link name contains a control character \(U\+001B\)/, '+ loras/a.safetensors', 'Plan: 3 to link, 0 to relink, 0 to remove, 1 conflict.'],
        check: (c) => expect(c.last.stdout).not.toContain('\u001b'),
      },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: give the model a plain name with an Override'], check: (c) => expectAbsent(c, 'loras') },
      {
        act: (c) => writeManifest(c.w, 'rename.yaml', `kind: Override\nmatch: { hash: ${c.h[EVIL]!.slice(0, 12)} }\nset: { name: evil.safetensors }\n`),
        run: APPLY,
        check: (c) => (expectLink(c, 'loras/evil.safetensors', EVIL), expectAllLinked(c)),
      },
      IN_SYNC,
    ],
  },
  {
    name: 'a model flagged unsafe is never selected by accident: only by `unsafe: true` or its hash, and then with a warning',
    setup: (c) => {
      standardSetup(c);
      c.h['payload.ckpt'] = addModel(c.w, { filename: 'payload.ckpt', type: 'checkpoint', base: 'sd15', format: 'ckpt', unsafe: true });
    },
    steps: [
      { run: APPLY, stdout: ['3 linked'], check: (c) => (expectAllLinked(c), expectAbsent(c, 'checkpoints/payload.ckpt')) },
      { run: ['status'], stdout: [/comfy +enabled +3 +3 +0 +0 +0 +0 +0 +1/] },
      { run: ['list', '--unsafe'], stdout: [/payload\.ckpt .* unsafe/], check: (c) => expect(c.last.stdout).not.toContain('a.safetensors') },
      {
        act: (c) => writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: { unsafe: true }\n'),
        run: ['plan'],
        stdout: ['+ checkpoints/payload.ckpt', /Warning: 1 declared link deploys a model flagged unsafe .*\n {2}comfy: checkpoints\/payload\.ckpt \([0-9a-f]{12}\)/],
      },
      {
        act: (c) => writeManifest(c.w, 'deploy.yaml', `kind: Deployment\nname: all\ntarget: comfy\nselect: {}\n---\nkind: Deployment\nname: named\ntarget: comfy\nselect: { hash: ${c.h['payload.ckpt']!.slice(0, 12)} }\n`),
        run: APPLY,
        stdout: ['1 linked', 'Warning: 1 declared link deploys a model flagged unsafe'],
        check: (c) => expectLink(c, 'checkpoints/payload.ckpt', 'payload.ckpt'),
      },
      {
        act: (c) => writeManifest(c.w, 'deploy.yaml', 'kind: Deployment\nname: all\ntarget: comfy\nselect: {}\nexclude: { unsafe: true }\n'),
        run: ['validate'],
        exit: 1,
        stderr: [/deploy\.yaml:5:\d+: exclude\.unsafe: unsafe models are left out unless select says `unsafe: true`/],
      },
    ],
  },
  {
    name: 'a target root that is an alias of the store is refused at /root by validate, plan and apply',
    setup: (c) => {
      symlinkSync(join(c.w.hub, 'models'), join(c.w.apps, 'alias'));
      setupWithRoot((x) => join(x.w.apps, 'alias'))(c);
    },
    steps: [
      { run: ['validate'], exit: 1, stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/alias resolves to .*\/hub\/models, inside the hub's store/] },
      { run: ['plan'], exit: 1, stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/alias resolves to/] },
      { run: APPLY, exit: 1, check: expectStoreUntouched },
    ],
  },
  {
    name: 'a target root that resolves to the hub itself, or to /, is refused',
    setup: (c) => {
      symlinkSync(c.w.hub, join(c.w.apps, 'hub-alias'));
      symlinkSync('/', join(c.w.apps, 'slash'));
      setupWithRoot((x) => join(x.w.apps, 'hub-alias'))(c);
      writeManifest(c.w, 'slash.yaml', `kind: Target\nname: slash\nroot: ${join(c.w.apps, 'slash')}\nmappings: { lora: loras }\n`);
    },
    steps: [
      {
        run: ['validate'],
        exit: 1,
        stderr: [/manifests\/comfy\.yaml:3:7: root .*\/apps\/hub-alias resolves to the hub .*\/hub itself/, /manifests\/slash\.yaml:3:7: root .*\/apps\/slash resolves to \//],
      },
      { run: APPLY, exit: 1, check: expectStoreUntouched },
    ],
  },
  {
    name: 'a mapped folder that is a symlink is a folder-is-symlink conflict; nothing is made through it',
    steps: [
      {
        act: (c) => (mkdirSync(join(c.w.apps, 'elsewhere')), symlinkSync(join(c.w.apps, 'elsewhere'), join(c.comfy, 'loras'))),
        run: ['plan'],
        exit: 1,
        stdout: [/! loras {2}folder-is-symlink: symlink -> .*\/apps\/elsewhere; apply never works through it \(1 link behind it\)/, '+ checkpoints/b.safetensors', '1 conflict'],
      },
      { run: APPLY, exit: 1, stderr: ['1 conflict; nothing was changed', 'hint: apply never works through a symlinked folder below a target root'], check: (c) => expect(readdirSync(join(c.w.apps, 'elsewhere'))).toEqual([]) },
    ],
  },
  {
    name: 'links the user copied (cp -a) into a folder now reached through a symlink are never removed',
    steps: [
      { run: APPLY },
      {
        act: (c) => {
          cpSync(join(c.comfy, 'loras'), join(c.w.apps, 'mine'), { recursive: true, verbatimSymlinks: true });
          rmSync(join(c.comfy, 'loras'), { recursive: true });
          symlinkSync(join(c.w.apps, 'mine'), join(c.comfy, 'loras'));
          writeManifest(c.w, 'deploy.yaml', WITHOUT_LORAS);
        },
        run: ['plan'],
        exit: 1,
        stdout: [/! loras {2}folder-is-symlink: symlink -> .*\/apps\/mine/],
      },
      { run: APPLY, exit: 1, check: (c) => expect(readLinkOrNull(join(c.w.apps, 'mine/a.safetensors'))).toBe(storeFile(c, 'a.safetensors')) },
    ],
  },
  {
    name: 'ownership needs the recorded inode: a copied link at the recorded path is forgotten, never removed',
    steps: [
      { run: APPLY, check: (c) => expect(query<{ n: number }>(c.w, 'SELECT COUNT(*) AS n FROM deploy_links WHERE link_dev IS NOT NULL AND link_ino IS NOT NULL')).toEqual([{ n: 3 }]) },
      {
        act: (c) => {
          cpSync(join(c.comfy, 'loras'), join(c.comfy, 'loras.copy'), { recursive: true, verbatimSymlinks: true });
          rmSync(join(c.comfy, 'loras'), { recursive: true });
          renameSync(join(c.comfy, 'loras.copy'), join(c.comfy, 'loras'));
        },
        run: ['plan'],
        stdout: ['No changes.'],
      },
      { act: (c) => writeManifest(c.w, 'deploy.yaml', WITHOUT_LORAS), run: ['plan'], stdout: ['x loras/a.safetensors', 'changed by hand', '0 to remove, 1 record to forget'] },
      { run: APPLY, check: (c) => expect(readLinkOrNull(join(c.comfy, 'loras/a.safetensors'))).toBe(storeFile(c, 'a.safetensors')) },
    ],
  },
  {
    name: 'links recorded before inodes were kept are re-adopted by the next apply, disk untouched',
    steps: [
      { run: APPLY },
      { act: (c) => execSql(c.w, 'UPDATE deploy_links SET link_dev = NULL, link_ino = NULL') /* what an older version left */, run: ['plan', '--detailed-exitcode'], exit: 2, stdout: ['= loras/a.safetensors', 'record-outdated', '3 to adopt'] },
      { run: APPLY, stdout: ['0 linked, 0 relinked, 0 removed, 3 adopted.'], check: expectAllLinked },
      IN_SYNC,
    ],
  },
  {
    name: 'a hand-edited saved plan is refused: apply PLANFILE re-plans and runs only when the saved actions equal the fresh ones',
    setup: (c) => {
      standardSetup(c);
      mkdirSync(join(c.w.apps, 'mine'));
      symlinkSync('/dev/null', join(c.w.apps, 'mine/keep.safetensors'));
    },
    steps: [
      { run: ['plan', '--out', 'p.json'] },
      {
        act: (c) =>
          editPlan(c, (p) => {
            const a = p.changes.find((x) => x.relPath === 'loras/a.safetensors')!;
            p.changes.push({ ...a, action: 'delete', reason: 'not-declared', path: join(c.w.apps, 'mine/keep.safetensors'), expect: { kind: 'symlink', text: '/dev/null' } });
          }),
        run: ['apply', 'p.json', '--yes'],
        exit: 1,
        stderr: [/the saved plan p\.json does not match a fresh plan; nothing was changed:\n {2}only in the saved plan: delete .*\/apps\/mine\/keep\.safetensors/, 'hint: run `modelhub plan --out p.json` again'],
        check: (c) => expectAbsent(c, 'loras'),
      },
      { run: ['plan', '--out', 'p.json'] },
      {
        act: (c) => editPlan(c, (p) => void (p.changes.find((x) => x.relPath === 'loras/a.safetensors')!.linkTarget = '/etc/hostname')),
        run: ['apply', 'p.json', '--yes'],
        exit: 1,
        stderr: [/only in the saved plan: create .*loras\/a\.safetensors -> \/etc\/hostname\n {2}only in the fresh plan: create .*loras\/a\.safetensors -> .*\/hub\/models\//],
        check: (c) => expectAbsent(c, 'loras'),
      },
      { run: ['plan', '--out', 'p.json'] },
      { act: (c) => editPlan(c, (p) => void p.changes.splice(0, 1)), run: ['apply', 'p.json', '--yes'], exit: 1, stderr: ['only in the fresh plan: create'] },
      { act: (c) => editPlan(c, (p) => void p.changes.push(5 as never)), run: ['apply', 'p.json', '--yes'], exit: 1, stderr: ['p.json is not a plan this ModelHub understands'] },
      { run: ['plan', '--out', 'p.json'] },
      { run: ['apply', 'p.json', '--yes'], stdout: ['3 linked'], check: expectAllLinked },
    ],
  },
];

describe('boundary scenarios (real folders, CLI in-process)', () => {
  for (const s of SCENARIOS) it(s.name, () => runScenario(s));
});
