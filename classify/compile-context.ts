import type { YamlDoc } from '../core/yaml.js';
import type { Report } from './compile-condition.js';
import type { RawRuleFile } from './raw-rules.js';

/** A schema-valid rule file with the parsed document it came from (for positions). */
export interface RuleSource {
  doc: YamlDoc;
  value: RawRuleFile;
}

/** One entry of a section, with the file and JSON pointer it was written at. */
export interface Located<T> {
  value: T;
  src: RuleSource;
  pointer: string;
}

/** What the section compilers need: where to report, and the declared bases. */
export interface CompileContext {
  /** A reporter for problems inside one entry (pointers relative to it). */
  reporter(l: Located<unknown>): Report;
  /** Report a base that no `bases:` entry declares ($1… placeholders pass). */
  checkBase(base: string | undefined, report: Report, pointer: string): void;
  origin(l: Located<unknown>): { file: string; line: number; col: number };
}
