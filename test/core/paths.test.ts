import { describe, expect, it } from 'vitest';
import { expandPath, findUnsetVariable } from '../../core/paths.js';

const env = { HOME: '/home/u', APPS: '/opt/apps', EMPTY: '' };

describe('expandPath', () => {
  it('expands ~, $VAR and ${VAR}, and makes relative paths absolute against the base', () => {
    expect(expandPath('~/hub', '/base', env)).toBe('/home/u/hub');
    expect(expandPath('$APPS/comfy', '/base', env)).toBe('/opt/apps/comfy');
    expect(expandPath('${APPS}/comfy/../forge', '/base', env)).toBe('/opt/apps/forge');
    expect(expandPath('models', '/base', env)).toBe('/base/models');
  });

  it('uses ${VAR:-default} when VAR is unset or empty, and VAR when it is set', () => {
    expect(expandPath('${COMFY_ROOT:-~/comfy}/models', '/base', env)).toBe('/home/u/comfy/models');
    expect(expandPath('${EMPTY:-/fallback}/x', '/base', env)).toBe('/fallback/x');
    expect(expandPath('${APPS:-/fallback}/x', '/base', env)).toBe('/opt/apps/x');
  });

  it('refuses a path naming an unset or empty variable instead of dropping that part', () => {
    expect(() => expandPath('${COMFY_ROOT}/models', '/base', env)).toThrowError(
      expect.objectContaining({
        code: 'ERR_MODELHUB_PATH_VARIABLE_UNSET',
        message: 'environment variable COMFY_ROOT is not set (in "${COMFY_ROOT}/models"); set it, or give a default: ${COMFY_ROOT:-/some/path}',
        hint: expect.stringContaining('export COMFY_ROOT='),
      }),
    );
    expect(() => expandPath('$EMPTY/models', '/base', env)).toThrowError('environment variable EMPTY is empty (in "$EMPTY/models")');
    expect(findUnsetVariable('$APPS/${NOPE:-x}/$ALSO_NOPE', env)).toEqual({ name: 'ALSO_NOPE', empty: false });
    expect(findUnsetVariable('/plain/path', env)).toBeUndefined();
  });
});
