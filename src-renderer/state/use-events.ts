// The app's one Events store, on the real API.

import { api } from '../api/client'
import { createEventsStore } from './events-store'

export const useEvents = createEventsStore(api.listEvents)
