/**
 * One source of truth for model types and bases: the built-in rule set (classify/rules) declares
 * them; the vocabulary ModelHub validates manifests and filters with, and the JSON Schema enums
 * editors use, must say exactly the same. A type or base added in one place only fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../classify/load-rules.js';
import { packageRoot } from '../../core/paths.js';
import { IMAGE_BASES, MODEL_TYPES } from '../../core/vocabulary.js';

const schema = (name: string): { definitions: Record<string, { enum?: string[] }> } => JSON.parse(readFileSync(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8'));
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

describe('model types and bases', () => {
  const rules = loadRuleSet();

  it('the rule set, the vocabulary and the manifest schema name the same model types', () => {
    const fromRules = rules.modelTypes.map((t) => t.id);
    expect(sorted(MODEL_TYPES)).toEqual(sorted(fromRules));
    expect(sorted(schema('manifest').definitions.modelType?.enum ?? [])).toEqual(sorted(fromRules));
    expect(sorted(schema('rules').definitions.modelTypeOrUnknown?.enum ?? [])).toEqual(sorted(fromRules));
    expect(sorted(schema('rules').definitions.modelType?.enum ?? [])).toEqual(sorted(fromRules.filter((t) => t !== 'unknown')));
  });

  it('the rule set declares exactly the image bases the vocabulary knows', () => {
    expect(sorted(IMAGE_BASES)).toEqual(sorted(rules.bases.keys()));
  });
});
