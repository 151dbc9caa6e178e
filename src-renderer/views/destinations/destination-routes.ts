// The routing screens' paths. Destinations live under /destinations (list, new, edit, deliveries) so
// a destination's pages can be bookmarked; Replay is its own screen.

export type RoutingScreen =
  | { screen: 'destinations' }
  | { screen: 'new-destination' }
  | { screen: 'edit-destination'; id: number }
  | { screen: 'deliveries'; id: number }
  | { screen: 'replay' }

export function routingScreenOf(path: string): RoutingScreen | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path
  if (clean === '/destinations') return { screen: 'destinations' }
  if (clean === '/destinations/new') return { screen: 'new-destination' }
  if (clean === '/replay') return { screen: 'replay' }
  const match = /^\/destinations\/(\d{1,15})(\/deliveries)?$/.exec(clean)
  if (!match) return null
  const id = Number(match[1])
  return match[2] ? { screen: 'deliveries', id } : { screen: 'edit-destination', id }
}

export const destinationPath = (id: number): string => `/destinations/${id}`
export const deliveriesPath = (id: number): string => `/destinations/${id}/deliveries`
