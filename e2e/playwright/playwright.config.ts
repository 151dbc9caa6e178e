// The Playwright suite (`npx playwright test -c e2e/playwright/playwright.config.ts`): the published fixture
// (loupe/testing/playwright) driving Debian's Chromium — no browser download. One worker: two cores, and
// each worker starts its own engine.

import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/playwright',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.LOUPE_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    }
  }
})
