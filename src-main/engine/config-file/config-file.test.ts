import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { startTestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'
import { applyConfig } from './apply'
import { exportConfig } from './export'
import { ConfigFileError } from './errors'
import { loadConfigFile, parseConfigText } from './load'

const tempDir = useTempDirs('loupe-config-')
afterEach(() => void vi.unstubAllEnvs())
const stubEnv = (env: Record<string, string>): void => Object.entries(env).forEach(([k, v]) => vi.stubEnv(k, v))

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

function errorOf(text: string, env: NodeJS.ProcessEnv = {}, format: 'json' | 'yaml' = 'yaml'): ConfigFileError {
  try {
    parseConfigText('loupe.config.yaml', text, format, env)
  } catch (error) {
    if (error instanceof ConfigFileError) return error
    throw error
  }
  throw new Error('the file was accepted')
}

const GOOD = `
version: 1
sources:
  - { name: Web, writeKey: wk_web }
  - { name: Backend, writeKey: wk_backend }
destinations:
  - name: Hook
    kind: webhook
    sourceNames: [Web, Backend]
    settings:
      url: http://127.0.0.1:9/hook
      signingSecret: \${HOOK_SECRET}
      headers: { Authorization: "Bearer \${HOOK_TOKEN}", X-Team: growth }
    filters:
      - { title: No pings, if: 'event = "Ping"', action: drop, sourceNames: [Web] }
    consentCategories: [Analytics]
    limits: { maxInFlight: 2 }
  - name: Archive
    kind: file
    enabled: false
    sourceNames: [Backend]
    settings: { folder: /tmp/loupe-archive-test }
`
const PLANS = `
sources:
  - { name: Web, writeKey: wk_web }
trackingPlans:
  - name: Orders
    description: Checkout events
    sourceNames: [Web]
    rules:
      - { type: COMMON, jsonSchema: { properties: { context: { type: object, required: [ip] } } } }
      - type: TRACK
        key: Order Completed
        jsonSchema:
          properties:
            properties: { type: object, required: [total], properties: { total: { type: number } } }
`
const ENV = { HOOK_SECRET: 'shh-very-secret-1234', HOOK_TOKEN: 'tok-abcdefgh-5678' }

describe('config file: loading', () => {
  it('names the field of each problem, from the file root', () => {
    const badUrl = errorOf(`destinations:\n  - { name: A, kind: webhook, settings: { url: http://127.0.0.1:9/ } }\n  - { name: B, kind: webhook, settings: { url: "ftp://x" } }`)
    expect(badUrl.field).toBe('destinations[1].settings.url')
    expect(badUrl.message).toBe('loupe.config.yaml: destinations[1].settings.url must be an http(s) URL')

    const badFilter = errorOf(`destinations:\n  - { name: A, kind: webhook, settings: { url: "http://x/" }, filters: [{ title: t, if: 'event == "x"', action: drop }] }`)
    expect(badFilter.field).toBe('destinations[0].filters[0].if')
    expect(badFilter.message).toContain('"==" is not an FQL operator')

    expect(errorOf('sources:\n  - { name: Web }').message).toContain('sources[0].writeKey: a fixed write key is required')
    expect(errorOf('sources:\n  - { name: Web, writeKey: a }\n  - { name: Web, writeKey: b }').message).toContain('sources[1].name: a source named "Web" is already declared at sources[0]')
    expect(errorOf('source: []').field).toBe('source')
    expect(errorOf(`destinations:\n  - { name: A, kind: mail, settings: {} }`).field).toBe('destinations[0].kind')
    expect(errorOf(`destinations:\n  - { name: A, kind: webhook, settings: { url: "http://x/" }, limits: { maxInFlight: 99 } }`).field).toBe('destinations[0].limits.maxInFlight')
    expect(errorOf(`destinations:\n  - { name: A, kind: webhook, settings: { url: "http://x/" }, consentCategories: [a, a] }`).field).toBe('destinations[0].consentCategories[1]')
    expect(errorOf(`destinations:\n  - { name: A, kind: webhook, settings: { url: "http://x/" }, filters: [{ title: t, if: all, action: drop, sourceIds: [1] }] }`).message).toContain('destinations[0].filters[0].sourceIds: name the sources with "sourceNames"')
    expect(errorOf('sources: [').message).toMatch(/^loupe\.config\.yaml: not valid YAML/)
    expect(errorOf('{"sources": 1', {}, 'json').message).toMatch(/not valid JSON/)
  })

  it('substitutes ${ENV} references and names a missing variable', () => {
    const spec = parseConfigText('c.yaml', GOOD, 'yaml', ENV)
    expect(spec.destinations[0]!.settings).toMatchObject({ signingSecret: ENV.HOOK_SECRET, headers: { Authorization: `Bearer ${ENV.HOOK_TOKEN}`, 'X-Team': 'growth' } })
    const missing = errorOf(GOOD, { HOOK_SECRET: 'x' })
    expect(missing.field).toBe('destinations[0].settings.headers.Authorization')
    expect(missing.message).toContain('the environment variable HOOK_TOKEN is not set')
    const literal = parseConfigText('c.yaml', 'sources: [{ name: "costs $${HOME}", writeKey: wk }]', 'yaml', {})
    expect(literal.sources[0]!.name).toBe('costs ${HOME}')
  })

  it('checks tracking plans like the admin API, naming the rule field', () => {
    const badSchema = errorOf(PLANS.replace("total: { type: number }", "total: { type: numbr }"))
    expect(badSchema.field).toBe('trackingPlans[0].rules[1].jsonSchema')
    expect(badSchema.message).toMatch(/^loupe\.config\.yaml: trackingPlans\[0\]\.rules\[1\]\.jsonSchema: /)
    expect(errorOf(PLANS.replace('type: TRACK', 'type: ALIAS')).field).toBe('trackingPlans[0].rules[1].type')
    expect(errorOf(PLANS.replace('    rules:\n', '    rulez:\n')).field).toBe('trackingPlans[0].rulez')
    expect(errorOf(`${PLANS}  - { name: Orders, rules: [] }\n`).field).toBe('trackingPlans[1].name')
    expect(errorOf(`${PLANS}  - { name: Other, rules: [], sourceNames: [Web] }\n`).message).toContain('trackingPlans[1].sourceNames[0]: the source "Web" is already connected to the plan at trackingPlans[0]')
    expect(errorOf(`trackingPlans:\n  - { name: Empty }\n`).field).toBe('trackingPlans[0].rules')
    // ${ENV} works in plans as anywhere else.
    const spec = parseConfigText('c.yaml', PLANS.replace('description: Checkout events', 'description: "Owner ${TEAM}"'), 'yaml', { TEAM: 'growth' })
    expect(spec.trackingPlans).toEqual([{ at: 'trackingPlans[0]', name: 'Orders', description: 'Owner growth', sourceNames: ['Web'], rules: [
      { type: 'COMMON', jsonSchema: { properties: { context: { type: 'object', required: ['ip'] } } } },
      { type: 'TRACK', key: 'Order Completed', jsonSchema: { properties: { properties: { type: 'object', required: ['total'], properties: { total: { type: 'number' } } } } } }
    ] }])
    expect(spec.warnings).toEqual([])
  })
})

describe('config file: applying', () => {
  it('creates the sources and destinations, and applying again changes nothing', async () => {
    const dir = tempDir()
    const file = join(dir, 'loupe.config.yaml')
    writeFileSync(file, GOOD)
    stubEnv(ENV)
    const dataDir = join(dir, 'data')
    let t = await startTestEngine({ dataDir }, (c) => (c.configFile = file))
    try {
      const sources = (await t.get('/api/sources')).sources
      expect(sources.map((s: { name: string; writeKey: string }) => [s.name, s.writeKey])).toEqual([['Web', 'wk_web'], ['Backend', 'wk_backend']])
      const rows = t.engine.context.destinations.list()
      expect(rows.map((d) => [d.name, d.kind, d.enabled, d.sourceIds])).toEqual([['Hook', 'webhook', true, [1, 2]], ['Archive', 'file', false, [2]]])
      expect(rows[0]!.filters).toEqual([{ title: 'No pings', if: 'event = "Ping"', action: 'drop', sourceIds: [1] }])
      expect(rows[0]!.limits).toEqual({ maxInFlight: 2, eventsPerSecond: null })
      // Sealed in the database, like any secret entered in the UI.
      const stored = t.engine.context.db.prepare("SELECT settings FROM destinations WHERE name = 'Hook'").pluck().get() as string
      expect(stored).not.toContain(ENV.HOOK_SECRET)

      // Something made in the UI meanwhile is not the file's business: it stays.
      await t.admin('/api/sources', json({ name: 'Made in the UI', writeKey: 'wk_ui' }))
      const again = await applyConfig(t.engine.context, loadConfigFile(file))
      expect(again).toEqual({
        sources: { created: [], renamed: [], unchanged: ['Web', 'Backend'] },
        destinations: { created: [], updated: [], unchanged: ['Hook', 'Archive'] },
        trackingPlans: { created: [], updated: [], unchanged: [] }
      })
    } finally {
      await t.stop()
    }

    // A changed file updates by name, on the next start.
    writeFileSync(file, GOOD.replace('maxInFlight: 2', 'maxInFlight: 3').replace('name: Backend,', 'name: Server,').replace('[Backend]', '[Server]').replace('Web, Backend', 'Web, Server'))
    t = await startTestEngine({ dataDir }, (c) => (c.configFile = file))
    try {
      expect((await t.get('/api/sources')).sources.map((s: { name: string }) => s.name)).toEqual(['Web', 'Server', 'Made in the UI'])
      const rows = t.engine.context.destinations.list()
      // Archive sets no limits: a file destination's default, two batches in flight.
      expect(rows.map((d) => [d.id, d.name, d.limits.maxInFlight])).toEqual([[1, 'Hook', 3], [2, 'Archive', 2]])
    } finally {
      await t.stop()
    }
  })

  it('creates a tracking plan connected to its source; a new version only when the rules change', async () => {
    const t = await startTestEngine()
    try {
      const ctx = t.engine.context
      const first = await applyConfig(ctx, parseConfigText('c.yaml', PLANS, 'yaml', {}))
      expect(first.trackingPlans).toEqual({ created: ['Orders'], updated: [], unchanged: [] })
      const [plan] = ctx.plans.list()
      expect(plan).toMatchObject({ name: 'Orders', description: 'Checkout events', version: 1, sourceIds: [1] })
      expect(plan!.rules.map((r) => [r.type, r.key])).toEqual([['COMMON', undefined], ['TRACK', 'Order Completed']])
      expect(ctx.plans.forSource(1)).toEqual({ planId: plan!.id, version: 1 })

      // The same file again (its keys in another order, too) makes no new version.
      const reordered = PLANS.replace('{ type: object, required: [total], properties: { total: { type: number } } }', '{ properties: { total: { type: number } }, required: [total], type: object }')
      expect((await applyConfig(ctx, parseConfigText('c.yaml', reordered, 'yaml', {}))).trackingPlans).toEqual({ created: [], updated: [], unchanged: ['Orders'] })
      expect(ctx.plans.versions(plan!.id).map((v) => v.version)).toEqual([1])

      // A changed rule is version 2; a plan made in the UI, not in the file, stays.
      await t.admin('/api/plans', json({ name: 'Made in the UI', rules: [] }))
      const changed = PLANS.replace('total: { type: number }', 'total: { type: integer }')
      expect((await applyConfig(ctx, parseConfigText('c.yaml', changed, 'yaml', {}))).trackingPlans).toEqual({ created: [], updated: ['Orders'], unchanged: [] })
      expect(ctx.plans.list().map((p) => [p.name, p.version, p.sourceIds])).toEqual([['Orders', 2, [1]], ['Made in the UI', 1, []]])
      expect(ctx.plans.version(plan!.id, 1)!.rules[1]!.jsonSchema).toMatchObject({ properties: { properties: { properties: { total: { type: 'number' } } } } })
      expect(ctx.plans.get(plan!.id)!.rules[1]!.jsonSchema).toMatchObject({ properties: { properties: { properties: { total: { type: 'integer' } } } } })

      // Connecting the source to another plan moves it there (a source has at most one plan), without a new version.
      const moved = `${changed.replace('    sourceNames: [Web]\n', '')}  - { name: Made in the UI, rules: [], sourceNames: [Web] }\n`
      expect((await applyConfig(ctx, parseConfigText('c.yaml', moved, 'yaml', {}))).trackingPlans).toEqual({ created: [], updated: ['Orders', 'Made in the UI'], unchanged: [] })
      expect(ctx.plans.list().map((p) => [p.name, p.version, p.sourceIds])).toEqual([['Orders', 2, []], ['Made in the UI', 1, [1]]])
    } finally {
      await t.stop()
    }
  })

  it('stops start-up on a bad plan schema, naming the field, before touching the data dir', async () => {
    const dir = tempDir()
    const file = join(dir, 'loupe.config.yaml')
    writeFileSync(file, PLANS.replace('required: [ip]', 'required: ip'))
    const dataDir = join(dir, 'data')
    const error = await startTestEngine({ dataDir }, (c) => (c.configFile = file)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigFileError)
    expect((error as ConfigFileError).field).toBe('trackingPlans[0].rules[0].jsonSchema')
    expect(existsSync(join(dataDir, 'loupe.db'))).toBe(false)
  })

  it('refuses plans that name an unknown source before changing anything', async () => {
    const t = await startTestEngine()
    try {
      const error = await applyConfig(t.engine.context, parseConfigText('c.yaml', PLANS.replace('[Web]', '[Nowhere]'), 'yaml', {})).catch((e: unknown) => e)
      expect((error as ConfigFileError).field).toBe('trackingPlans[0].sourceNames[0]')
      expect(t.engine.context.plans.list()).toEqual([])
      expect((await t.get('/api/sources')).sources).toEqual([])
    } finally {
      await t.stop()
    }
  })

  it('refuses a file that conflicts with the data dir before changing anything', async () => {
    const t = await startTestEngine()
    try {
      await t.admin('/api/destinations', json({ name: 'Hook', kind: 'file', settings: { folder: '/tmp/loupe-x' } }))
      stubEnv(ENV)
      const spec = parseConfigText('c.yaml', GOOD, 'yaml', ENV)
      const error = await applyConfig(t.engine.context, spec).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConfigFileError)
      expect((error as ConfigFileError).field).toBe('destinations[0].kind')
      // The sources listed before the bad destination were not created either.
      expect((await t.get('/api/sources')).sources).toEqual([])
    } finally {
      await t.stop()
    }
  })
})

describe('config file: export', () => {
  it('round-trips through export and apply to a fresh data dir, secrets as references', async () => {
    const a = await startTestEngine()
    let yamlText: string
    let jsonText: string
    let variables: string[]
    const secrets = { signing: 'sign-0123456789abcdef', auth: 'Bearer abcdefghijklmnop', forwardKey: 'wk_receiver_key_123' }
    try {
      const web = (await (await a.admin('/api/sources', json({ name: 'Web', writeKey: 'wk_w' }))).json()) as { id: number }
      const app = (await (await a.admin('/api/sources', json({ name: 'App ${x}', writeKey: 'wk_a' }))).json()) as { id: number }
      const created = await a.admin('/api/destinations', json({
        name: 'Order hook',
        kind: 'webhook',
        sourceIds: [web.id, app.id],
        settings: { url: 'http://127.0.0.1:9/h', batch: true, signingSecret: secrets.signing, headers: { Authorization: secrets.auth, 'X-Team': 'growth' } },
        filters: [{ title: 'Sample', if: 'type = "track"', action: 'sample', percent: 50, path: 'userId', sourceIds: [app.id] }],
        consentCategories: ['Marketing'],
        limits: { eventsPerSecond: 10 }
      }))
      expect(created.status).toBe(201)
      await a.admin('/api/destinations', json({ name: 'Forward', kind: 'segment', sourceIds: [web.id], settings: { url: 'http://127.0.0.1:9', writeKey: secrets.forwardKey } }))

      const res = await a.admin('/api/config/export?format=yaml')
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="loupe.config.yaml"')
      yamlText = await res.text()
      variables = res.headers.get('x-loupe-secret-variables')!.split(',')
      jsonText = await (await a.admin('/api/config/export?format=json')).text()
      expect((await a.admin('/api/config/export?format=xml')).status).toBe(400)
    } finally {
      await a.stop()
    }

    expect(variables).toEqual(['LOUPE_SECRET_ORDER_HOOK_SIGNING_SECRET', 'LOUPE_SECRET_ORDER_HOOK_HEADERS_AUTHORIZATION', 'LOUPE_SECRET_FORWARD_WRITE_KEY'])
    for (const text of [yamlText, jsonText]) for (const secret of Object.values(secrets)) expect(text).not.toContain(secret.slice(-8))
    expect(yamlText).toMatch(/^# Loupe config/)
    expect(yamlText).toContain('LOUPE_SECRET_FORWARD_WRITE_KEY')
    const doc = parseYaml(yamlText)
    expect(doc.destinations[0].settings.headers['X-Team']).toBe('growth')
    expect(doc.destinations[0].filters[0].sourceNames).toEqual(['App $${x}'])
    expect(JSON.parse(jsonText).$comment).toContain('LOUPE_SECRET_ORDER_HOOK_SIGNING_SECRET')

    const env = { LOUPE_SECRET_ORDER_HOOK_SIGNING_SECRET: secrets.signing, LOUPE_SECRET_ORDER_HOOK_HEADERS_AUTHORIZATION: secrets.auth, LOUPE_SECRET_FORWARD_WRITE_KEY: secrets.forwardKey }
    for (const [format, text] of [['yaml', yamlText], ['json', jsonText]] as const) {
      const b = await startTestEngine()
      try {
        const summary = await applyConfig(b.engine.context, parseConfigText(`x.${format}`, text, format, env))
        expect(summary.destinations.created).toEqual(['Order hook', 'Forward'])
        expect(b.engine.context.sources.list().map((s) => [s.name, s.writeKey])).toEqual([['Web', 'wk_w'], ['App ${x}', 'wk_a']])
        const [hook, forward] = b.engine.context.destinations.list()
        expect(hook).toMatchObject({
          name: 'Order hook',
          kind: 'webhook',
          sourceIds: [1, 2],
          settings: { url: 'http://127.0.0.1:9/h', batch: true, signingSecret: secrets.signing, headers: { Authorization: secrets.auth, 'X-Team': 'growth' } },
          filters: [{ title: 'Sample', if: 'type = "track"', action: 'sample', percent: 50, path: 'userId', sourceIds: [2] }],
          consentCategories: ['Marketing'],
          limits: { maxInFlight: 1, eventsPerSecond: 10 }
        })
        expect(forward).toMatchObject({ name: 'Forward', kind: 'segment', sourceIds: [1], settings: { url: 'http://127.0.0.1:9/', writeKey: secrets.forwardKey } })
      } finally {
        await b.stop()
      }
    }
  })
})

describe('config file: export of tracking plans', () => {
  it('writes each plan at its current version with its sources, and applying that to a fresh data dir gives them back', async () => {
    const rules = [
      { type: 'TRACK', key: 'Order Completed', jsonSchema: { properties: { properties: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', pattern: '^ord_\\${2}' } } } } } },
      { type: 'IDENTIFY', jsonSchema: { properties: { traits: { type: 'object', required: ['email'] } } } }
    ]
    const a = await startTestEngine()
    const texts: Record<'yaml' | 'json', string> = { yaml: '', json: '' }
    let expected: unknown
    try {
      const web = (await (await a.admin('/api/sources', json({ name: 'Web', writeKey: 'wk_w' }))).json()) as { id: number }
      await a.admin('/api/sources', json({ name: 'App', writeKey: 'wk_a' }))
      const created = (await (await a.admin('/api/plans', json({ name: 'Orders', description: 'Checkout', rules: [rules[0]], sourceIds: [web.id] }))).json()) as { id: number }
      // Version 2 is what is exported.
      expect((await a.admin(`/api/plans/${created.id}`, { ...json({ rules }), method: 'PATCH' })).status).toBe(200)
      await a.admin('/api/plans', json({ name: 'Draft', rules: [] }))
      const ctx = a.engine.context
      expected = ctx.plans.list().map((p) => ({ name: p.name, description: p.description, rules: p.rules, sources: p.sourceIds.map((id) => ctx.sources.get(id)!.name) }))
      for (const format of ['yaml', 'json'] as const) texts[format] = exportConfig(ctx.sources.list(), ctx.destinations.list(), format, ctx.plans.list()).text
    } finally {
      await a.stop()
    }

    expect(parseYaml(texts.yaml).trackingPlans).toEqual([
      { name: 'Orders', description: 'Checkout', sourceNames: ['Web'], rules: [{ ...rules[0], jsonSchema: { properties: { properties: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', pattern: '^ord_\\$${2}' } } } } } }, rules[1]] },
      { name: 'Draft', rules: [] }
    ])
    for (const format of ['yaml', 'json'] as const) {
      const b = await startTestEngine()
      try {
        const spec = parseConfigText(`x.${format}`, texts[format], format, {})
        expect((await applyConfig(b.engine.context, spec)).trackingPlans.created).toEqual(['Orders', 'Draft'])
        const ctx = b.engine.context
        expect(ctx.plans.list().map((p) => ({ name: p.name, description: p.description, rules: p.rules, sources: p.sourceIds.map((id) => ctx.sources.get(id)!.name) }))).toEqual(expected)
        expect(ctx.plans.list().map((p) => p.version)).toEqual([1, 1])
        expect((await applyConfig(ctx, spec)).trackingPlans.unchanged).toEqual(['Orders', 'Draft'])
      } finally {
        await b.stop()
      }
    }
  })
})

describe('config file: enforcement', () => {
  const ENFORCED = `
sources:
  - name: Web
    writeKey: wk_web
    enforcement: { unplannedEvents: block, violations: omit, blockedEvents: [Heartbeat], forwardViolationsTo: Audit }
  - { name: Audit, writeKey: wk_audit }
`
  it('sets a source’s enforcement, forwarding named by source, and exports it back', async () => {
    const t = await startTestEngine()
    try {
      const ctx = t.engine.context
      await applyConfig(ctx, parseConfigText('c.yaml', ENFORCED, 'yaml', {}))
      const web = ctx.sources.list().find((s) => s.name === 'Web')!
      const audit = ctx.sources.list().find((s) => s.name === 'Audit')!
      expect(await t.get(`/api/sources/${web.id}/enforcement`)).toEqual({ unplannedEvents: 'block', unplannedProperties: 'allow', violations: 'omit', blockedEvents: ['Heartbeat'], forwardViolationsTo: audit.id })
      // Applied at ingest at once: the blocked event is held.
      expect((await t.track('/v1/track', { userId: 'u', event: 'Heartbeat', messageId: 'cfg-1' }, 'wk_web')).status).toBe(200)
      expect((await t.get('/api/events?messageId=cfg-1')).events[0].quarantine).toBe('held')

      const exported = parseYaml(await (await t.admin('/api/config/export')).text())
      expect(exported.sources).toEqual([
        { name: 'Web', writeKey: 'wk_web', enforcement: { unplannedEvents: 'block', unplannedProperties: 'allow', violations: 'omit', blockedEvents: ['Heartbeat'], forwardViolationsTo: 'Audit' } },
        { name: 'Audit', writeKey: 'wk_audit' }
      ])
    } finally {
      await t.stop()
    }
  })

  it('names the field of a bad enforcement setting', () => {
    expect(errorOf(ENFORCED.replace('violations: omit', 'violations: drop')).field).toBe('sources[0].enforcement.violations')
    expect(errorOf(ENFORCED.replace('blockedEvents: [Heartbeat]', 'blockedEvents: [""]')).field).toBe('sources[0].enforcement.blockedEvents[0]')
    expect(errorOf(ENFORCED.replace('forwardViolationsTo: Audit', 'forwardViolationsTo: Web')).field).toBe('sources[0].enforcement.forwardViolationsTo')
  })
})
