import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isAppModelFolder, pathBelowAppFolder } from '../../core/app-folders.js';
import { packageRoot } from '../../core/paths.js';

describe('app model folders', () => {
  it('every folder a default target maps a type to is a known app model folder (or the root)', () => {
    const files = fg.sync('*.yaml', { cwd: join(packageRoot(), 'manifests'), absolute: true });
    const unknown: string[] = [];
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const value = doc.toJS() as { kind?: string; mappings?: Record<string, unknown> } | null;
        if (value?.kind !== 'Target') continue;
        for (const [type, mapping] of Object.entries(value.mappings ?? {})) {
          const folder = typeof mapping === 'string' ? mapping : (mapping as { folder?: string }).folder ?? '';
          const last = folder.split('/').pop() ?? '';
          if (folder !== '.' && !isAppModelFolder(last)) unknown.push(`${file}: ${type} → ${folder}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('finds the path below the innermost app model folder', () => {
    expect(pathBelowAppFolder(['home', 'ComfyUI', 'models', 'loras', 'flux'])).toBe('flux');
    expect(pathBelowAppFolder(['models', 'loras'])).toBe('');
    expect(pathBelowAppFolder(['models', 'Lora', 'styles', 'vae', 'x'])).toBe('x');
    expect(pathBelowAppFolder(['downloads', 'stuff'])).toBeUndefined();
    expect(pathBelowAppFolder(['LORAS'])).toBeUndefined();
  });
});
