// electron-builder.yml cannot be exercised here (no Electron binary, no electron-builder); this keeps
// its security-relevant lines from drifting. A plain-text check: the project has no YAML parser.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const config = readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8')
const setting = (key: string): string | undefined => new RegExp(`^\\s*${key}:\\s*([^\\s#]+)`, 'm').exec(config)?.[1]

describe('electron-builder.yml', () => {
  it.each([
    ['runAsNode', 'false'],
    ['enableNodeOptionsEnvironmentVariable', 'false'],
    ['enableNodeCliInspectArguments', 'false'],
    ['onlyLoadAppFromAsar', 'true'],
    ['enableEmbeddedAsarIntegrityValidation', 'true'],
    ['enableCookieEncryption', 'true'],
    ['grantFileProtocolExtraPrivileges', 'false']
  ])('flips the fuse %s to %s', (key, value) => {
    expect(config).toMatch(/^electronFuses:$/m)
    expect(setting(key)).toBe(value)
  })

  it('packs into an asar with the native module unpacked, for dmg, nsis, AppImage and deb', () => {
    expect(setting('asar')).toBe('true')
    expect(config).toMatch(/^asarUnpack:\n\s+- node_modules\/better-sqlite3\/\*\*\/\*\.node$/m)
    for (const target of ['dmg', 'nsis', 'AppImage', 'deb']) expect(config).toMatch(new RegExp(`(target: ${target}|- ${target})$`, 'm'))
  })

  it('ships no tabs (YAML forbids them for indentation)', () => {
    expect(config).not.toMatch(/\t/)
  })
})
