import picomatch from 'picomatch';

/**
 * The one glob dialect for user-written name globs (`list --name`, a Deployment's or Override's
 * `name`): picomatch's, case-insensitive — `*` any run of characters, `?` one character, `[abc]`
 * one of them, `{a,b}` either. Matchers are compiled once per glob.
 */
const cache = new Map<string, (name: string) => boolean>();

export function matchesNameGlob(glob: string, name: string): boolean {
  let match = cache.get(glob);
  if (match === undefined) {
    match = picomatch(glob, { nocase: true, dot: true });
    cache.set(glob, match);
  }
  return match(name);
}
