// The catalogue picker's logic: the category select (counts, "Other" last) and filtering by it.

import { describe, expect, it } from 'vitest'
import type { CatalogueEntry } from '../../src-shared/api'
import { categoryOptions, searchCatalogue } from './catalogue-store'

const entry = (slug: string, categories: string[]): CatalogueEntry => ({ slug, id: '0'.repeat(24), segmentSlug: `actions-${slug}`, name: slug, description: '', categories, authScheme: 'custom', actionCount: 1, presetCount: 0, unavailable: null, integrationNames: [slug] })

const entries = [
  entry('amplitude', ['Analytics']),
  entry('braze', ['Marketing Automation', 'SMS & Push Notifications']),
  entry('mixpanel', ['Analytics']),
  entry('slack', ['Other']),
  entry('webhook', ['Raw Data']),
  entry('moengage', ['Marketing Automation', 'SMS & Push Notifications'])
]

describe('catalogue categories', () => {
  it('offers each category once with how many destinations it holds, A–Z and "Other" last', () => {
    expect(categoryOptions(entries).map((o) => o.label)).toEqual(['Analytics (2)', 'Marketing Automation (2)', 'Raw Data (1)', 'SMS & Push Notifications (2)', 'Other (1)'])
    expect(categoryOptions(entries)[0]).toEqual({ category: 'Analytics', count: 2, label: 'Analytics (2)' })
    expect(categoryOptions([entry('x', ['Analytics', 'Analytics'])])).toEqual([{ category: 'Analytics', count: 1, label: 'Analytics (1)' }])
    expect(categoryOptions([])).toEqual([])
  })

  it('filters by the chosen category in any case, together with the search words', () => {
    const slugs = (query: string, category: string) => searchCatalogue(entries, query, category).map((e) => e.slug)
    expect(slugs('', 'Analytics')).toEqual(['amplitude', 'mixpanel'])
    expect(slugs('', 'analytics')).toEqual(['amplitude', 'mixpanel'])
    expect(slugs('mix', 'Analytics')).toEqual(['mixpanel'])
    expect(slugs('', 'SMS & Push Notifications')).toEqual(['braze', 'moengage'])
    expect(slugs('', 'Other')).toEqual(['slack'])
    // Every option of the select finds exactly as many destinations as its count says.
    for (const option of categoryOptions(entries)) expect(slugs('', option.category)).toHaveLength(option.count)
  })
})
