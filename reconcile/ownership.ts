import type { Observed, RecordedLink } from './plan-types.js';

/**
 * Whether what is at a recorded path is the link ModelHub made there. `owned`: a symlink holding
 * the recorded text with the recorded (dev, ino). `text-only`: a symlink holding the recorded
 * text whose record has no inode (written before ModelHub kept them); the text is then the only
 * proof there is, the one that record was written under, so it may still be removed or
 * re-pointed, and the next plan re-adopts it where it is declared (recording the inode).
 * `not-owned`: anything else, including a copy of the link (same text, another inode).
 * `obs` must carry the link's dev/ino when the record has them; observe reads them wherever a
 * link may be removed or re-pointed (at a recorded path not holding the declared text).
 */
export function ownership(rec: RecordedLink, obs: Observed): 'owned' | 'text-only' | 'not-owned' {
  if (obs.kind !== 'symlink' || obs.text !== rec.linkTarget) return 'not-owned';
  if (rec.dev === null || rec.ino === null) return 'text-only';
  return obs.dev === rec.dev && obs.ino === rec.ino ? 'owned' : 'not-owned';
}
