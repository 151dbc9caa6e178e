// The `loupe restore` command for this engine's data dir (the folder of its database file).

export function restoreCommand(dbPath: string | null): string {
  const dataDir = dbPath ? dbPath.replace(/[\\/][^\\/]+$/, '') : null
  return `loupe restore ~/Downloads/loupe-backup-….db${dataDir ? ` --data-dir ${shellQuote(dataDir)}` : ''}`
}

/** Quoted only when needed, for a POSIX shell: a path with spaces (macOS's Application Support) stays one argument. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./~-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
