// One profile's page data: the profile and its timeline, a page at a time. A merged-away id answers with
// the profile it joined; the address bar then moves to the surviving id (replacing, so Back skips it).

import { useCallback, useEffect, useState } from 'react'
import type { EventSummary } from '../../../src-shared/api'
import type { ProfileDetail } from '../../../src-shared/identity'
import { errorMessage } from '../../api/api-error'
import { api } from '../../api/client'
import { useRouter } from '../../state/router-store'
import { profilePath } from './profiles-routes'

const TIMELINE_PAGE = 50

export interface ProfileData {
  profile: ProfileDetail | null
  error: string | null
  events: EventSummary[]
  next: string | null
  loadingEvents: boolean
  eventsError: string | null
  loadMore(): void
}

export function useProfile(id: number): ProfileData {
  const [profile, setProfile] = useState<ProfileDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [events, setEvents] = useState<EventSummary[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loadingEvents, setLoadingEvents] = useState(true)
  const [eventsError, setEventsError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    api
      .getProfile(id, abort.signal)
      .then((p) => {
        setProfile(p)
        if (p.id !== id) useRouter.getState().navigate(profilePath(p.id), { replace: true })
      })
      .catch((e: unknown) => !abort.signal.aborted && setError(errorMessage(e)))
    api
      .profileEvents(id, { limit: TIMELINE_PAGE }, abort.signal)
      .then((page) => {
        setEvents(page.events)
        setNext(page.next)
        setLoadingEvents(false)
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return
        setEventsError(errorMessage(e))
        setLoadingEvents(false)
      })
    return () => abort.abort()
  }, [id])

  const loadMore = useCallback(() => {
    if (!next || loadingEvents) return
    setLoadingEvents(true)
    api
      .profileEvents(id, { limit: TIMELINE_PAGE, before: next })
      .then((page) => {
        setEvents((list) => [...list, ...page.events])
        setNext(page.next)
      })
      .catch((e: unknown) => setEventsError(errorMessage(e)))
      .finally(() => setLoadingEvents(false))
  }, [id, next, loadingEvents])

  return { profile, error, events, next, loadingEvents, eventsError, loadMore }
}
