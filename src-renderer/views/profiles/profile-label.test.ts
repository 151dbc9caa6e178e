import { describe, expect, it } from 'vitest'
import { profileLabel } from './profile-label'

describe('profile label', () => {
  it('falls back to the id when the engine gives no usable label', () => {
    expect(profileLabel('ada@example.com', 3)).toBe('ada@example.com')
    expect(profileLabel('', 12)).toBe('profile #12')
    expect(profileLabel('   ', 12)).toBe('profile #12')
  })
})
