/**
 * Live refresh: a stamp of what the TUI shows (SQLite's data_version and the manifests' mtimes)
 * is read on every check; when it differs from the last one, `onChange` runs. The launcher
 * checks every second, so a cron scan or an `apply` elsewhere shows within 2 s. A stamp that
 * cannot be read (the manifests folder gone) counts as a change, never as a crash.
 */
export function changeWatch(read: () => string, onChange: () => void): { check(): void } {
  let last = safely(read);
  return {
    check() {
      const now = safely(read);
      if (now !== last) {
        last = now;
        onChange();
      }
    },
  };
}

function safely(read: () => string): string {
  try {
    return read();
  } catch (err) {
    return `unreadable: ${err instanceof Error ? err.message : String(err)}`;
  }
}
