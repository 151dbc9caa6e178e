import { describe, expect, it } from 'vitest'
import type { Destination } from '../../../src-shared/api'
import { BUILT_IN_FIELDS } from './built-in-kinds'
import { draftFromDestination, draftToRequest, knownPaths, newDraft, placeError } from './destination-draft'
import { routingScreenOf } from './destination-routes'
import { draftToFilter, filterToDraft, formatFieldList, parseFieldList, previewableFilters, remapFilterField, emptyFilter } from './filter-draft'
import { fieldsFromCatalogue, fieldsFromJsonSchema, initialValues, valuesToSettings } from './settings-fields'

const webhook = BUILT_IN_FIELDS.webhook

describe('settings fields', () => {
  it('maps catalogue field types to inputs: password masked, enum → select, booleans, numbers', () => {
    const fields = fieldsFromCatalogue([
      { key: 'apiKey', label: 'API Key', description: '', type: 'password', required: true },
      { key: 'region', label: 'Region', description: '', type: 'string', required: false, choices: [{ label: 'EU', value: 'eu' }, { label: 'US', value: 'us' }], default: 'us' },
      { key: 'debug', label: 'Debug', description: '', type: 'boolean', required: false },
      { key: 'timeout', label: 'Timeout', description: '', type: 'integer', required: false },
      { key: 'tags', label: 'Tags', description: '', type: 'string', required: false, multiple: true }
    ])
    expect(fields.map((f) => f.input)).toEqual(['password', 'select', 'boolean', 'number', 'list'])
    expect(initialValues(fields)).toEqual({ apiKey: '', region: 'us', debug: false, timeout: '', tags: '' })
    const result = valuesToSettings(fields, { apiKey: '', region: 'eu', debug: true, timeout: '2.5', tags: 'a, b\nc' })
    expect(result.errors).toEqual({ apiKey: 'API Key is required.', timeout: 'Timeout must be a whole number.' })
    expect(result.settings).toEqual({ region: 'eu', debug: true, tags: ['a', 'b', 'c'] })
  })

  it('leaves out fields Segment hides, masks format=password, and types dynamic choices by hand', () => {
    const fields = fieldsFromCatalogue([
      { key: 'secret', label: 'Secret', description: '', type: 'string', format: 'password', required: true },
      { key: 'internal', label: 'Internal', description: '', type: 'string', required: false, hidden: true },
      { key: 'list', label: 'List', description: 'Pick one', type: 'string', required: false, dynamic: true, choices: [{ label: 'a', value: 'a' }] }
    ])
    expect(fields.map((f) => [f.key, f.input])).toEqual([
      ['secret', 'password'],
      ['list', 'text']
    ])
  })

  it('reads JSON Schema properties, required and enums', () => {
    const fields = fieldsFromJsonSchema({
      type: 'object',
      required: ['apiKey'],
      properties: { apiKey: { type: 'string', title: 'API key', format: 'password' }, endpoint: { type: 'string', enum: ['a', 'b'] }, n: { type: ['number', 'null'] } }
    })
    expect(fields.map((f) => [f.key, f.input, f.required])).toEqual([
      ['apiKey', 'password', true],
      ['endpoint', 'select', false],
      ['n', 'number', false]
    ])
  })

  it('parses webhook headers as "Name: value" lines and refuses a line without a name', () => {
    expect(valuesToSettings(webhook, { url: 'http://x', headers: 'X-Key: a:b\n\nAuthorization: Bearer t', batch: false }).settings).toEqual({
      url: 'http://x',
      headers: { 'X-Key': 'a:b', Authorization: 'Bearer t' },
      batch: false
    })
    expect(valuesToSettings(webhook, { url: 'http://x', headers: 'oops', batch: false }).errors.headers).toMatch(/Name: value/)
    expect(initialValues(webhook, { url: 'http://x', headers: { A: '1' } }).headers).toBe('A: 1')
  })
})

describe('filters', () => {
  it('turns a property list into Segment fields (root under "") and back', () => {
    const fields = parseFieldList('properties.email, context.ip\nuserId, properties.email')
    expect(fields).toEqual({ properties: ['email'], context: ['ip'], '': ['userId'] })
    expect(formatFieldList(fields)).toBe('properties.email, context.ip, userId')
  })

  it('reports problems at the engine’s paths', () => {
    const draft = { ...emptyFilter(), title: '', action: 'sample' as const, percent: '140' }
    expect(draftToFilter(draft, 2).errors).toEqual({ 'filters[2].title': expect.any(String), 'filters[2].percent': expect.any(String) })
    const ok = draftToFilter({ ...emptyFilter(), title: 'Half', action: 'sample', percent: '50', path: 'userId' }, 0)
    expect(ok.filter).toEqual({ title: 'Half', if: 'all', enabled: true, action: 'sample', percent: 50, path: 'userId' })
    expect(filterToDraft(ok.filter!)).toMatchObject({ percent: '50', path: 'userId' })
  })

  it('previews complete filters only and maps engine errors back to the editor’s index', () => {
    const drafts = [{ ...emptyFilter(), title: '' }, { ...emptyFilter(), title: 'B', if: 'event = "x"' }]
    const { filters, indexes } = previewableFilters(drafts)
    expect(filters.map((f) => f.title)).toEqual(['B'])
    expect(remapFilterField('filters[0].if', indexes)).toBe('filters[1].if')
    expect(remapFilterField('sourceIds', indexes)).toBe('sourceIds')
  })
})

describe('destination draft', () => {
  it('starts with the kind’s default pacing: two batches for the file archive, three loads for a warehouse, else one', () => {
    expect(newDraft('file', BUILT_IN_FIELDS.file).maxInFlight).toBe('2')
    expect(newDraft('warehouse', []).maxInFlight).toBe('3')
    expect(newDraft('webhook', webhook).maxInFlight).toBe('1')
  })

  it('builds the create request of a webhook', () => {
    const draft = { ...newDraft('webhook', webhook, { sourceIds: [1] }), name: ' Hook ', values: { ...initialValues(webhook), url: 'http://127.0.0.1:9/h' }, consent: 'C0002, Advertising, C0002', eventsPerSecond: '50' }
    draft.filters = [{ ...emptyFilter(), title: 'No tests', if: 'event = "Test"' }]
    expect(draftToRequest(draft, webhook).request).toEqual({
      name: 'Hook',
      kind: 'webhook',
      settings: { url: 'http://127.0.0.1:9/h', batch: false },
      enabled: true,
      sourceIds: [1],
      filters: [{ title: 'No tests', if: 'event = "Test"', enabled: true, action: 'drop' }],
      consentCategories: ['C0002', 'Advertising'],
      limits: { maxInFlight: 1, eventsPerSecond: 50 }
    })
  })

  it('nests Action settings and subscriptions, and refuses a mapping that is not a JSON object', () => {
    const fields = fieldsFromCatalogue([{ key: 'apiKey', label: 'API Key', description: '', type: 'password', required: true }])
    const draft = newDraft('actions', fields, { name: 'Amp', slug: 'amplitude', presets: [{ name: 'Track', subscribe: 'type = "track"', partnerAction: 'logEvent', mapping: { a: { '@path': '$.event' } }, enabled: true }] })
    expect(draftToRequest(draft, fields).errors).toEqual({ 'settings.settings.apiKey': 'API Key is required.' })
    draft.values.apiKey = 'k'
    draft.subscriptions[0]!.mappingText = '[1]'
    expect(Object.keys(draftToRequest(draft, fields).errors!)).toEqual(['settings.subscriptions[0].mapping'])
    draft.subscriptions[0]!.mappingText = '{"b": 1}'
    expect(draftToRequest(draft, fields).request?.settings).toEqual({ slug: 'amplitude', settings: { apiKey: 'k' }, subscriptions: [{ name: 'Track', subscribe: 'type = "track"', partnerAction: 'logEvent', mapping: { b: 1 }, enabled: true }] })
  })

  it('loads a saved destination back into the form', () => {
    const saved: Destination = {
      id: 3,
      name: 'Hook',
      privacy: { red: 'pass', yellow: 'pass', green: 'pass' },
      kind: 'webhook',
      settings: { url: 'http://x/', signingSecret: '••••cret' },
      enabled: false,
      sourceIds: [2],
      filters: [{ title: 'Strip', if: 'all', action: 'drop_properties', fields: { context: ['ip'] } }],
      consentCategories: ['C0004'],
      limits: { maxInFlight: 2, eventsPerSecond: null },
      createdAt: '2024-01-01T00:00:00.000Z',
      status: { state: 'disabled', cursor: 0, pending: 0, nextAttemptAt: null, lastError: null, failed: 0 }
    }
    const draft = draftFromDestination(saved, webhook)
    expect(draft).toMatchObject({ name: 'Hook', enabled: false, sourceIds: [2], consent: 'C0004', maxInFlight: '2', eventsPerSecond: '' })
    expect(draft.values).toMatchObject({ url: 'http://x/', signingSecret: '••••cret', batch: false })
    expect(draft.filters[0]).toMatchObject({ action: 'drop_properties', fields: 'context.ip' })
    // The masked secret goes back as is: the engine keeps the saved one.
    expect(draftToRequest(draft, webhook).request?.settings).toMatchObject({ signingSecret: '••••cret' })
  })

  it('places engine errors at the input with that path, the enclosing one, or above the form', () => {
    const draft = newDraft('actions', fieldsFromCatalogue([{ key: 'apiKey', label: 'K', description: '', type: 'string', required: true }]))
    draft.filters = [emptyFilter()]
    const known = knownPaths(draft, fieldsFromCatalogue([{ key: 'apiKey', label: 'K', description: '', type: 'string', required: true }]))
    expect(placeError('filters[0].if', known)).toBe('filters[0].if')
    expect(placeError('settings.apiKey', known)).toBe('settings.settings.apiKey')
    expect(placeError('limits.maxInFlight.x', known)).toBe('limits.maxInFlight')
    expect(placeError('kind', known)).toBeNull()
    expect(placeError(undefined, known)).toBeNull()
  })
})

describe('routes', () => {
  it('knows the routing screens', () => {
    expect(routingScreenOf('/destinations')).toEqual({ screen: 'destinations' })
    expect(routingScreenOf('/destinations/new')).toEqual({ screen: 'new-destination' })
    expect(routingScreenOf('/destinations/12/')).toEqual({ screen: 'edit-destination', id: 12 })
    expect(routingScreenOf('/destinations/12/deliveries')).toEqual({ screen: 'deliveries', id: 12 })
    expect(routingScreenOf('/replay')).toEqual({ screen: 'replay' })
    expect(routingScreenOf('/destinations/x')).toBeNull()
    expect(routingScreenOf('/live')).toBeNull()
  })
})
