import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyModel, DEFAULT_WEIGHTS, loadRuleSet } from '../../classify/index.js';
import { evidenceFromSidecars, readSidecars, sidecarMetadata } from '../../classify/sidecars.js';
import { headerFrom, kohyaLora } from '../fixtures/keysets.js';
import { tempDir } from '../helpers/tmp.js';

const rules = loadRuleSet();
const SHA = 'ab'.repeat(32);

describe('sidecar files of other tools', () => {
  it('reads Civitai Helper, Stability Matrix and Lora-Manager sidecars next to a model', async () => {
    const dir = tempDir();
    const model = join(dir, 'styleA.safetensors');
    writeFileSync(
      join(dir, 'styleA.civitai.info'),
      JSON.stringify({ id: 11, modelId: 22, name: 'v2', baseModel: 'Illustrious', trainedWords: ['stylea'], model: { name: 'Style A', type: 'LORA' }, files: [{ primary: true, hashes: { SHA256: SHA.toUpperCase() } }] }),
    );
    writeFileSync(join(dir, 'styleA.cm-info.json'), JSON.stringify({ ModelId: 22, ModelName: 'Style A', ModelType: 'LORA', VersionId: 11, VersionName: 'v2', BaseModel: 'Illustrious', Hashes: { SHA256: SHA } }));
    writeFileSync(join(dir, 'styleA.metadata.json'), JSON.stringify({ file_name: 'styleA', model_name: 'Style A', sha256: SHA, base_model: 'Illustrious', civitai: { id: 11, modelId: 22, model: { type: 'LORA' } } }));
    const { sidecars, problems } = await readSidecars(model);
    expect(problems).toEqual([]);
    expect(sidecars.map((s) => s.tool)).toEqual(['Civitai Helper', 'Stability Matrix', 'ComfyUI-Lora-Manager']);
    for (const s of sidecars) expect(s).toMatchObject({ modelType: 'LORA', baseModel: 'Illustrious', modelId: 22 });
    expect(sidecars[0]).toMatchObject({ versionId: 11, trainedWords: ['stylea'], modelName: 'Style A' });
    expect(sidecarMetadata(sidecars)).toMatchObject({ 'civitai_info.modelName': 'Style A', 'cm_info.versionId': '11', 'lora_manager.baseModel': 'Illustrious' });

    const evidence = evidenceFromSidecars(sidecars, SHA, rules);
    expect(evidence).toHaveLength(3);
    expect(evidence[0]).toMatchObject({ method: 'sidecar', type: 'lora', base: 'illustrious' });
    const tensors = kohyaLora({ base: 'sdxl', rank: 4 });
    const c = classifyModel(
      { fileName: 'styleA.safetensors', size: 1, header: headerFrom(tensors), extraEvidence: evidence },
      { threshold: 0.5, weights: DEFAULT_WEIGHTS, rules },
    );
    expect([c.type, c.base]).toEqual(['lora', 'illustrious']);
  });

  it('ignores a sidecar that records another file hash, and reports broken ones without failing', async () => {
    const dir = tempDir();
    const model = join(dir, 'b.safetensors');
    writeFileSync(join(dir, 'b.cm-info.json'), JSON.stringify({ ModelType: 'Checkpoint', BaseModel: 'SD 1.5', Hashes: { SHA256: 'cd'.repeat(32) } }));
    writeFileSync(join(dir, 'b.civitai.info'), '{"truncated": ');
    const { sidecars, problems } = await readSidecars(model);
    expect(sidecars).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/b\.civitai\.info: not valid JSON/)]);
    expect(evidenceFromSidecars(sidecars, SHA, rules)).toEqual([]);
    expect(evidenceFromSidecars(sidecars, 'cd'.repeat(32), rules)).toHaveLength(1);
  });
});
