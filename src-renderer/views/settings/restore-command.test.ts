import { describe, expect, it } from 'vitest'
import { restoreCommand } from './restore-command'

describe('restoreCommand', () => {
  it('names the data dir of the database, quoted for a shell when needed', () => {
    expect(restoreCommand('/home/ada/.local/share/loupe/loupe.db')).toBe('loupe restore ~/Downloads/loupe-backup-….db --data-dir /home/ada/.local/share/loupe')
    expect(restoreCommand('/Users/ada/Library/Application Support/Loupe/loupe.db')).toBe(
      "loupe restore ~/Downloads/loupe-backup-….db --data-dir '/Users/ada/Library/Application Support/Loupe'"
    )
    expect(restoreCommand("/tmp/it's/loupe.db")).toBe(`loupe restore ~/Downloads/loupe-backup-….db --data-dir '/tmp/it'\\''s'`)
    expect(restoreCommand(null)).toBe('loupe restore ~/Downloads/loupe-backup-….db')
  })
})
