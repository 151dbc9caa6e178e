// Whether this browser has an admin session. Unknown until the first API answer; any 401 (the cookie
// expired, the data dir's token changed) flips it to unauthorized, and the shell then shows only how
// to log in — no data.

import { create } from 'zustand'
import { onUnauthorized } from '../api/client'

export type AuthStatus = 'checking' | 'ok' | 'unauthorized'

export interface AuthState {
  status: AuthStatus
  setOk(): void
}

export const useAuth = create<AuthState>()((set) => ({
  status: 'checking',
  setOk: () => set({ status: 'ok' })
}))

onUnauthorized(() => useAuth.setState({ status: 'unauthorized' }))
