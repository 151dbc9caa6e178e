// Whether this browser has an admin session: asked once at start (GET /api/session, which answers 200
// either way), and any later 401 (the cookie expired, the data dir's token changed) flips it to
// unauthorized; the shell then shows only how to log in — no data.

import { create } from 'zustand'
import { api, onUnauthorized } from '../api/client'

export type AuthStatus = 'checking' | 'ok' | 'unauthorized'

export interface AuthState {
  status: AuthStatus
  setOk(): void
  /** Asks the engine whether this browser has a session. */
  check(): Promise<void>
}

export const useAuth = create<AuthState>()((set, get) => ({
  status: 'checking',
  setOk: () => set({ status: 'ok' }),
  async check() {
    try {
      const { authenticated } = await api.session()
      set({ status: authenticated ? 'ok' : 'unauthorized' })
    } catch {
      // The engine is unreachable (restarting?): stay "checking" and ask again.
      setTimeout(() => void get().check(), 2000)
    }
  }
}))

onUnauthorized(() => useAuth.setState({ status: 'unauthorized' }))
