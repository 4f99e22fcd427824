/** The view `deploy`, `undeploy` and `rename` print before the plan: the manifest diff, what was written, the notes. */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderApplyAdvice, renderManifestChange } from '../../cmd/render/manifest-change.js';
import { HOSTILE, tmp } from './builders.js';

const FILE = tmp('manifests/modelhub-deploy.yaml');

describe('manifest change view', () => {
  it('shows the diff, the files written and the notes; escapes what the names hold', () => {
    const text = renderManifestChange(
      {
        diff: [`--- ${FILE}`, `+++ ${FILE}`, '@@ -1,2 +1,3 @@', ' kind: Deployment', '-    - 0a1b2c3d4e5f # old.safetensors', `+    - 9f8e7d6c5b4a # ${HOSTILE}`],
        written: [FILE],
        notes: [`${HOSTILE} is already declared for comfy (deployment loras at comfy.yaml:7); undeploy it first to deploy it at another path`],
      },
      new Chalk({ level: 0 }),
    );
    expect(text).toMatchInlineSnapshot(`
      "--- <tmp>/manifests/modelhub-deploy.yaml
      +++ <tmp>/manifests/modelhub-deploy.yaml
      @@ -1,2 +1,3 @@
       kind: Deployment
      -    - 0a1b2c3d4e5f # old.safetensors
      +    - 9f8e7d6c5b4a # evil\\e[2Jname.safetensors
      Wrote <tmp>/manifests/modelhub-deploy.yaml.
      note: evil\\e[2Jname.safetensors is already declared for comfy (deployment loras at comfy.yaml:7); undeploy it first to deploy it at another path"
    `);
  });

  it('says when nothing was written, and how to apply', () => {
    expect(renderManifestChange({ diff: [], written: [], notes: [] }, new Chalk({ level: 0 }))).toMatchInlineSnapshot(`"The manifests already say so; nothing was written."`);
    expect(renderApplyAdvice('modelhub deploy')).toMatchInlineSnapshot(`"Run \`modelhub apply\` to make the target folders match (or \`modelhub deploy … --apply\` next time)."`);
  });
});
