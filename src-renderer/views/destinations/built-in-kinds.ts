// The destinations Loupe ships itself (not from the Action catalogue), described as form fields.

import type { DestinationKind } from '../../../src-shared/api'
import type { FormField } from './settings-fields'

export type BuiltInKind = Exclude<DestinationKind, 'actions'>

export const BUILT_IN_KINDS: { kind: BuiltInKind; name: string; description: string }[] = [
  { kind: 'webhook', name: 'Webhook', description: 'POST each event (or batches) as JSON to any http(s) URL, optionally signed.' },
  { kind: 'segment', name: 'Segment-compatible forward', description: 'Forward to Segment, RudderStack or another Loupe as /v1/batch with a write key.' },
  { kind: 'file', name: 'File archive', description: 'NDJSON files in a folder, gzipped and rotated; partitioned by source and day.' },
  { kind: 'warehouse', name: 'PostgreSQL warehouse', description: 'Segment’s warehouse schema in PostgreSQL: a schema per source, a table per event, loaded on a schedule.' }
]

const BATCH_SIZE: FormField = { key: 'batchSize', label: 'Batch size', description: 'Events per request.', input: 'number', integer: true, required: false, placeholder: '100' }

export const BUILT_IN_FIELDS: Record<BuiltInKind, FormField[]> = {
  webhook: [
    { key: 'url', label: 'URL', description: 'Events are POSTed here as JSON.', input: 'text', required: true, placeholder: 'https://example.com/hooks/loupe' },
    { key: 'headers', label: 'Headers', description: 'Extra request headers, one "Name: value" per line.', input: 'headers', required: false, placeholder: 'Authorization: Bearer …' },
    { key: 'batch', label: 'Send batches', description: 'Send { "batch": [...] } instead of one event per request.', input: 'boolean', required: false },
    { ...BATCH_SIZE, placeholder: '20' },
    { key: 'signingSecret', label: 'Signing secret', description: 'Each request carries X-Loupe-Signature: sha256=<HMAC of the body>.', input: 'password', required: false }
  ],
  segment: [
    { key: 'url', label: 'Base URL', description: '/v1/batch is appended.', input: 'text', required: true, placeholder: 'https://api.segment.io' },
    { key: 'writeKey', label: 'Write key', description: 'Of the receiving source.', input: 'password', required: true },
    BATCH_SIZE
  ],
  file: [
    { key: 'folder', label: 'Folder', description: 'Absolute path; created if missing.', input: 'text', required: true, placeholder: '/var/lib/loupe/archive' },
    { key: 'gzip', label: 'gzip files', description: 'Write .ndjson.gz.', input: 'boolean', required: false, default: true },
    { key: 'rotateBytes', label: 'Rotate at (bytes)', description: 'Start a new file at this size (default 100 MB); a new day always starts one.', input: 'number', integer: true, required: false, placeholder: '104857600' },
    {
      key: 'partition',
      label: 'Partition',
      description: 'Folder layout.',
      input: 'select',
      required: false,
      default: 'source-day',
      choices: [
        { label: 'source / day', value: 'source-day' },
        { label: 'day', value: 'day' }
      ]
    }
  ],
  warehouse: [
    { key: 'host', label: 'Host', description: 'PostgreSQL server host name or IP.', input: 'text', required: true, placeholder: '127.0.0.1' },
    { key: 'port', label: 'Port', description: 'Default 5432.', input: 'number', integer: true, required: false, placeholder: '5432' },
    { key: 'database', label: 'Database', description: 'The database to load into.', input: 'text', required: true, placeholder: 'analytics' },
    { key: 'user', label: 'User', description: 'Needs CREATE on the database (a schema per source).', input: 'text', required: true, placeholder: 'loupe' },
    { key: 'password', label: 'Password', description: 'Sealed at rest.', input: 'password', required: false },
    {
      key: 'sslMode',
      label: 'SSL mode',
      description: 'As libpq’s sslmode.',
      input: 'select',
      required: false,
      default: 'disable',
      choices: [
        { label: 'disable', value: 'disable' },
        { label: 'require', value: 'require' },
        { label: 'verify-full', value: 'verify-full' }
      ]
    },
    { key: 'loadIntervalSeconds', label: 'Load every (seconds)', description: 'Events gather between loads; "Sync now" loads at once. 0 loads as events arrive.', input: 'number', integer: true, required: false, placeholder: '60' }
  ]
}

export function kindName(kind: DestinationKind): string {
  return kind === 'actions' ? 'Action destination' : (BUILT_IN_KINDS.find((k) => k.kind === kind)?.name ?? kind)
}
