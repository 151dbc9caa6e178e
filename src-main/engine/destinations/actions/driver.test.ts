// The driver on its own against real sockets: what no vendor answer, and a destination that cannot run
// locally, turn into for the router.

import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { validateActionsSettings } from '../../http/admin/actions-settings'
import { actionsDriver } from './driver'

const env = (actionsRedirect: string | null) => ({ actionsRedirect, destinationId: 1, sourceName: () => null })

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('actionsDriver', () => {
  it('turns a refused connection into "no answer" (retried by the router)', async () => {
    const settings = validateActionsSettings({ slug: 'amplitude', settings: { apiKey: 'refused-key-1', secretKey: 's' } })
    const driver = actionsDriver('Amp', settings, env(`http://127.0.0.1:${await closedPort()}`))
    try {
      const result = await driver.send([{ type: 'track', event: 'E', userId: 'u', messageId: 'm1' }], new AbortController().signal, [1])
      expect(result).toMatchObject({ status: null, error: expect.stringMatching(/ECONNREFUSED/) })
      expect(result.requestSample).not.toContain('refused-key-1')
    } finally {
      await driver.close?.()
    }
  })

  it('answers the integrations object by Segment’s names for the destination', () => {
    const settings = validateActionsSettings({ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' } })
    expect(actionsDriver('My Amp', settings, env(null)).integrationNames).toEqual(expect.arrayContaining(['Amplitude', 'Actions Amplitude', 'actions-amplitude', 'My Amp']))
  })

  it('refuses events for a destination that cannot run locally (saved before the catalogue said so)', async () => {
    const driver = actionsDriver('Hub', { slug: 'hubspot', settings: {}, subscriptions: [] }, env(null))
    const result = await driver.send([{ type: 'track', event: 'E' }], new AbortController().signal, [1])
    expect(result).toMatchObject({ status: 400, error: expect.stringMatching(/OAuth/) })
  })
})
