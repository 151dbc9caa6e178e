import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { isReachable, loadWindowState, saveWindowState } from './window-state'

const dir = mkdtempSync(join(tmpdir(), 'loupe-wstate-'))
afterEach(() => rmSync(join(dir, 'state.json'), { force: true }))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('window state file', () => {
  const file = join(dir, 'state.json')

  it('round-trips', () => {
    saveWindowState(file, { bounds: { x: -1200, y: 0, width: 1100, height: 800 }, maximized: true })
    expect(loadWindowState(file)).toEqual({ bounds: { x: -1200, y: 0, width: 1100, height: 800 }, maximized: true })
  })

  it.each([
    'not json',
    'null',
    '{}',
    '{"bounds":{"x":0,"y":0,"width":"900","height":600}}',
    '{"bounds":{"x":0,"y":0,"width":100,"height":100}}',
    '{"bounds":{"x":0,"y":0,"width":1e9,"height":600}}',
    '{"bounds":{"x":null,"y":0,"width":900,"height":600}}'
  ])('ignores %s', (text) => {
    writeFileSync(file, text)
    expect(loadWindowState(file)).toBeNull()
  })

  it('is absent the first time', () => {
    expect(loadWindowState(join(dir, 'missing.json'))).toBeNull()
  })
})

describe('isReachable', () => {
  const screens = [
    { x: 0, y: 0, width: 1920, height: 1080 },
    { x: 1920, y: 0, width: 1280, height: 1024 }
  ]
  it('accepts windows whose title bar is on a screen', () => {
    expect(isReachable({ x: 100, y: 100, width: 900, height: 600 }, screens)).toBe(true)
    expect(isReachable({ x: 2000, y: 10, width: 900, height: 600 }, screens)).toBe(true)
    expect(isReachable({ x: -800, y: 10, width: 900, height: 600 }, screens)).toBe(true) // 100 px still on screen
  })
  it('rejects windows left on an unplugged monitor or above the screen', () => {
    expect(isReachable({ x: -3000, y: 0, width: 900, height: 600 }, screens)).toBe(false)
    expect(isReachable({ x: 100, y: -500, width: 900, height: 600 }, screens)).toBe(false)
    expect(isReachable({ x: 100, y: 100, width: 900, height: 600 }, [])).toBe(false)
  })
})
