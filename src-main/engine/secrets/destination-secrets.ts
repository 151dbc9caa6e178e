// Which settings of each destination kind are secrets, sealed before they reach the database and opened
// when read. Everything in memory sees plain settings (the admin API masks them on the way out); only the
// database, and so its backups, hold the sealed form.

import type { ActionsSettings, DestinationKind, DestinationSettings } from '../../../src-shared/api'
import { catalogue, isSecretSetting } from '../destinations/actions/catalogue'
import type { SecretCache } from './secret-cache'
import { openSettingsSecrets, sealedValues, sealSettingsSecrets, type SecretPath } from './settings-secrets'
import type { SecretStore } from './secret-store'

export function secretPathsOf(kind: DestinationKind, settings: DestinationSettings): SecretPath[] {
  switch (kind) {
    case 'webhook':
      // Header values often carry an API key or bearer token.
      return [['signingSecret'], ['headers', '*']]
    case 'segment':
      return [['writeKey']]
    case 'actions': {
      const destination = catalogue().find((settings as ActionsSettings).slug)
      return (destination?.settings ?? []).filter(isSecretSetting).map((f) => ['settings', f.key])
    }
    case 'file':
      return []
    case 'warehouse':
      return [['password']]
  }
}

export class DestinationSecrets {
  constructor(private readonly store: SecretStore, private readonly cache: SecretCache) {}

  seal(kind: DestinationKind, settings: DestinationSettings): Promise<DestinationSettings> {
    return sealSettingsSecrets(settings, secretPathsOf(kind, settings), this.store, this.cache)
  }

  /** Opened settings; a secret that cannot be opened stays sealed (the destination then fails visibly). */
  open(kind: DestinationKind, settings: DestinationSettings): DestinationSettings {
    try {
      return openSettingsSecrets(settings, secretPathsOf(kind, settings), this.cache)
    } catch {
      return settings
    }
  }

  /** Opens the sealed values of stored destinations, before anything reads them. */
  load(rows: { kind: DestinationKind; settings: DestinationSettings }[]): Promise<void> {
    return this.cache.load(rows.flatMap((row) => sealedValues(row.settings, secretPathsOf(row.kind, row.settings))))
  }
}
