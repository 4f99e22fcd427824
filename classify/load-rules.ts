import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { schemaValidator } from '../core/ajv.js';
import { packageRoot } from '../core/paths.js';
import { errnoCode, ModelHubError } from '../core/errors.js';
import { formatProblems, parseYamlDocuments, validateDoc, type YamlProblem } from '../core/yaml.js';
import { readYamlFile } from '../core/yaml-read.js';
import type { RuleSource } from './compile-context.js';
import { compileRuleSources } from './compile-rules.js';
import type { RawRuleFile } from './raw-rules.js';
import type { RuleSet } from './ruleset.js';

/**
 * Load the built-in rule files (classify/rules/*.yaml, in name order) followed by `extraFiles`,
 * validate each against schemas/rules.schema.json, and compile them into one RuleSet. Every
 * problem in every file is collected first; then one ModelHubError (ERR_MODELHUB_RULES_INVALID)
 * lists them as `file:line:col: message`, grouped by file.
 */
export function loadRuleSet(extraFiles: string[] = []): RuleSet {
  const dir = join(packageRoot(), 'classify', 'rules');
  const builtins = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
  return compileRuleTexts([...builtins, ...extraFiles].map((file) => ({ file, ...readRuleFile(file) })));
}

/**
 * The same as loadRuleSet for texts already in memory; `file` names each in messages. An entry
 * may instead carry the problem that kept its file from being read.
 */
export function compileRuleTexts(texts: Array<{ file: string; text: string } | { file: string; problem: YamlProblem }>): RuleSet {
  const validate = rulesValidator();
  const problems: YamlProblem[] = [];
  const sources: RuleSource[] = [];
  for (const entry of texts) {
    if ('problem' in entry) {
      problems.push(entry.problem);
      continue;
    }
    const { file, text } = entry;
    const parsed = parseYamlDocuments(text, file);
    problems.push(...parsed.problems);
    if (parsed.docs.length > 1) problems.push({ file, line: 1, col: 1, message: 'a rule file holds one YAML document, found several' });
    const doc = parsed.docs[0];
    if (doc === undefined) continue;
    const found = validateDoc(validate, doc);
    problems.push(...found);
    if (found.length === 0) sources.push({ doc, value: doc.value as RawRuleFile });
  }
  const compiled = compileRuleSources(sources);
  problems.push(...compiled.problems);
  if (problems.length > 0) {
    const files = [...new Set(problems.map((p) => p.file))];
    throw new ModelHubError('RULES_INVALID', `invalid classification rules:\n${formatProblems(problems)}`, {
      path: files[0] ?? '',
      hint: 'fix the rule file(s) named above; schemas/rules.schema.json describes every key',
      details: problems,
    });
  }
  return compiled.rules;
}

/** A rule file's text, or why it is not read (core/yaml-limits.ts). */
function readRuleFile(file: string): ReturnType<typeof readYamlFile> {
  try {
    return readYamlFile(file);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') throw new ModelHubError('RULES_NOT_FOUND', `rule file ${file} does not exist`, { path: file, hint: 'check the rule file path' });
    if (code === 'EISDIR') throw new ModelHubError('RULES_INVALID', `rule file ${file} is a directory`, { path: file });
    if (code === 'EACCES') throw new ModelHubError('RULES_INVALID', `rule file ${file} is not readable (permission denied)`, { path: file });
    throw err;
  }
}

function rulesValidator(): ValidateFunction {
  return schemaValidator('rules');
}


/**
 * The bases the given rule files declare (`bases: [{ id }]`), read without compiling the rules:
 * what manifests may name beside the built-in vocabulary. Files that cannot be read or parsed
 * contribute nothing here; the classifier reports their problems when it loads them.
 */
export function readDeclaredBases(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    let read: ReturnType<typeof readYamlFile>;
    try {
      read = readYamlFile(file);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EACCES' || errnoCode(err) === 'EISDIR') continue;
      throw err;
    }
    if ('problem' in read) continue;
    for (const doc of parseYamlDocuments(read.text, file).docs) {
      const bases = (doc.value as { bases?: unknown } | null)?.bases;
      if (!Array.isArray(bases)) continue;
      for (const b of bases) if (typeof (b as { id?: unknown })?.id === 'string') out.add((b as { id: string }).id);
    }
  }
  return out;
}
