import { describe, expect, it } from 'vitest';
import { checkLinkName, checkLinkPath, quoteName } from '../../core/names.js';

describe('link names', () => {
  it('accepts ordinary file names, in any script', () => {
    for (const name of ['x.safetensors', 'Flux Dev (fp8).safetensors', 'モデル.gguf', 'a.b.c', "it's-v2"]) expect(checkLinkName(name)).toBeUndefined();
  });

  it.each([
    ['', 'is empty'],
    ['a\u0000b', 'contains a NUL character'],
    ['a\u001bb', 'contains a control character (U+001B)'],
    ['a\u0085b', 'contains a control character (U+0085)'],
    ['evil\u202egnp.safetensors', 'contains a bidirectional-text control (U+202E), which makes it display as something else'],
    ['x\u2066y', 'contains a bidirectional-text control (U+2066), which makes it display as something else'],
    ['a/b', 'contains a / or \\; a name is one file name'],
    ['a\\b', 'contains a / or \\; a name is one file name'],
    ['.hidden', 'starts with "." (a hidden name)'],
    ['..', 'starts with "." (a hidden name)'],
    ['x.safetensors ', 'ends with a space'],
    ['x.', 'ends with a dot'],
    [`${'é'.repeat(128)}`, 'is longer than 255 bytes'],
  ])('refuses %j: %s', (name, reason) => {
    expect(checkLinkName(name)).toBe(reason);
  });

  it('checks every component of a path, and names the one that fails', () => {
    expect(checkLinkPath('sdxl/lora/x.safetensors')).toBeUndefined();
    expect(checkLinkPath('sdxl/../x')).toBe('".." goes up (..)');
    expect(checkLinkPath('sdxl/x\u0000')).toBe('"x\\u0000" contains a NUL character');
    expect(checkLinkPath('x.')).toBe('ends with a dot');
    expect(checkLinkPath('a//b')).toBe('"" is empty');
  });

  it('quotes names so that control and bidi characters show as escapes', () => {
    expect(quoteName('evil\u202egnp\u0007\u007f')).toBe('"evil\\u202egnp\\u0007\\u007f"');
  });
});
