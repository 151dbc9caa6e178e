import { describe, expect, it } from 'vitest'
import { profilesScreenOf } from './profiles-routes'

describe('profiles routes', () => {
  it('reads tabs, a profile and its graph from the path, and nothing else', () => {
    expect(profilesScreenOf('/profiles')).toEqual({ screen: 'tab', tab: 'list' })
    expect(profilesScreenOf('/profiles/audiences')).toEqual({ screen: 'tab', tab: 'audiences' })
    expect(profilesScreenOf('/profiles/12')).toEqual({ screen: 'profile', id: 12 })
    expect(profilesScreenOf('/profiles/12/graph')).toEqual({ screen: 'graph', id: 12 })
    expect(profilesScreenOf('/profiles/x')).toBeNull()
    expect(profilesScreenOf('/profiles/12/other')).toBeNull()
    expect(profilesScreenOf('/profilesx')).toBeNull()
  })
})
