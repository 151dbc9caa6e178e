// Playwright fixtures: one headless Loupe per worker (a temp data dir, a free port) and one test run per
// test, so tests running in parallel never see each other's events.
//
//   import { test as base } from '@playwright/test'
//   import { loupeFixtures, type LoupeTestFixtures, type LoupeWorkerFixtures } from 'loupe/testing/playwright'
//   export const test = base.extend<LoupeTestFixtures, LoupeWorkerFixtures>(loupeFixtures)
//
// The shapes below are Playwright's fixture tuples written out, so this module needs no @playwright/test.
// Playwright reads a fixture function's first parameter to find its dependencies: it must stay an object
// pattern (`{}` / `{ loupe }`) in the compiled output.

import { createLoupe, type LoupeClient, type LoupeRun } from './client.js'
import { startLoupe, type StartedLoupe, type StartLoupeOptions } from './start.js'

/** The worker-scoped `loupe`: the running engine and a client for it. */
export type LoupeServer = StartedLoupe & LoupeClient

export interface LoupeWorkerFixtures {
  loupe: LoupeServer
}

export interface LoupeTestFixtures {
  loupeRun: LoupeRun
}

type Use<T> = (value: T) => Promise<void>

/** The part of Playwright's TestInfo the fixture reads. */
export interface TestInfoLike {
  title: string
  titlePath?: string[]
}

export interface LoupeFixtures {
  loupe: [(deps: object, use: Use<LoupeServer>) => Promise<void>, { scope: 'worker'; timeout: number }]
  loupeRun: (deps: { loupe: LoupeServer }, use: Use<LoupeRun>, testInfo: TestInfoLike) => Promise<void>
}

export function createLoupeFixtures(options: StartLoupeOptions = {}): LoupeFixtures {
  return {
    loupe: [
      async ({}, use) => {
        const server = await startLoupe(options)
        try {
          await use({ ...server, ...createLoupe(server) })
        } finally {
          await server.stop()
        }
      },
      // starting an engine is a child process and a database: longer than a fixture's default share
      { scope: 'worker', timeout: 60_000 }
    ],
    loupeRun: async ({ loupe }, use, testInfo) => {
      const name = testInfo.titlePath && testInfo.titlePath.length > 0 ? testInfo.titlePath.join(' › ') : testInfo.title
      const run = await loupe.startRun(name)
      try {
        await use(run)
      } finally {
        await run.endRun()
      }
    }
  }
}

export const loupeFixtures: LoupeFixtures = createLoupeFixtures()
