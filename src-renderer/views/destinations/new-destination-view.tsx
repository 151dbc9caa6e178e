// Add destination: pick a kind (built-in or from the Action catalogue), then fill its form. The choice
// is in the URL (?kind=webhook, ?slug=amplitude), so Back returns to the picker.

import { useEffect, useState } from 'react'
import type { CatalogueDestination } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { useCatalogue } from '../../state/catalogue-store'
import { useRouter } from '../../state/router-store'
import { useSources } from '../../state/sources-store'
import { BUILT_IN_FIELDS, BUILT_IN_KINDS, type BuiltInKind } from './built-in-kinds'
import { CataloguePicker } from './catalogue-picker'
import { newDraft } from './destination-draft'
import { DestinationEditor } from './destination-editor'
import { catalogueFields } from './catalogue-fields'

export function NewDestinationView() {
  const search = useRouter((s) => s.search)
  const params = new URLSearchParams(search)
  const kind = params.get('kind') as BuiltInKind | null
  const slug = params.get('slug')

  return (
    <section className="screen destinations-screen" aria-labelledby="new-destination-title">
      <header className="screen-header">
        <h1 id="new-destination-title">Add destination</h1>
        <Link to={kind || slug ? '/destinations/new' : '/destinations'} className="button small ghost">
          ← Back
        </Link>
      </header>
      <div className="routing-body">
        {kind && kind in BUILT_IN_FIELDS ? <BuiltInForm kind={kind} /> : slug ? <ActionsForm slug={slug} /> : <KindPicker />}
      </div>
    </section>
  )
}

function KindPicker() {
  return (
    <>
      <h2 className="section-heading">Built in</h2>
      <ul className="kind-grid" aria-label="Built-in destinations">
        {BUILT_IN_KINDS.map((k) => (
          <li key={k.kind}>
            <Link to={`/destinations/new?kind=${k.kind}`} className="kind-card" aria-label={k.name}>
              <strong>{k.name}</strong>
              <span className="muted">{k.description}</span>
            </Link>
          </li>
        ))}
      </ul>
      <h2 className="section-heading">Action destinations</h2>
      <CataloguePicker />
    </>
  )
}

function useDefaultSources(): number[] {
  const sources = useSources((s) => s.sources)
  // With a single source there is nothing to choose: connect it.
  return sources.length === 1 ? [sources[0]!.id] : []
}

function BuiltInForm({ kind }: { kind: BuiltInKind }) {
  const sourceIds = useDefaultSources()
  const fields = BUILT_IN_FIELDS[kind]
  return <DestinationEditor key={kind} fields={fields} initial={newDraft(kind, fields, { sourceIds })} />
}

function ActionsForm({ slug }: { slug: string }) {
  const [definition, setDefinition] = useState<CatalogueDestination | null>(null)
  const [error, setError] = useState<string | null>(null)
  const sourceIds = useDefaultSources()
  useEffect(() => {
    let live = true
    useCatalogue
      .getState()
      .detail(slug)
      .then(
        (d) => live && setDefinition(d),
        (e: unknown) => live && setError(errorMessage(e))
      )
    return () => void (live = false)
  }, [slug])

  if (error) return <p className="form-error" role="alert">{error}</p>
  if (!definition) return <p className="muted loading">Loading {slug}…</p>
  if (definition.unavailable) return <p className="form-error" role="alert">{definition.name} cannot run locally: {definition.unavailable}</p>
  const fields = catalogueFields(definition)
  return <DestinationEditor key={slug} fields={fields} definition={definition} initial={newDraft('actions', fields, { name: definition.name, slug, presets: definition.presetSubscriptions, sourceIds })} />
}
