// Edit a saved destination (and delete it).

import { useEffect, useState } from 'react'
import type { CatalogueDestination, Destination } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { Link } from '../../components/link'
import { useCatalogue } from '../../state/catalogue-store'
import { useDestinations } from '../../state/destinations-store'
import { useRouter } from '../../state/router-store'
import { BUILT_IN_FIELDS } from './built-in-kinds'
import { catalogueFields } from './catalogue-fields'
import { draftFromDestination } from './destination-draft'
import { DestinationEditor } from './destination-editor'
import { deliveriesPath } from './destination-routes'
import { FormError } from '../../components/form-error'
import { WarehousePanel } from './warehouse/warehouse-panel'
import { withSavedSchemas } from './warehouse/warehouse-draft'

export function EditDestinationView({ id }: { id: number }) {
  const [destination, setDestination] = useState<Destination | null>(null)
  const [definition, setDefinition] = useState<CatalogueDestination | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    const load = async (): Promise<void> => {
      const d = await api.getDestination(id)
      const def = d.kind === 'actions' ? await useCatalogue.getState().detail((d.settings as { slug: string }).slug) : null
      if (!live) return
      setDefinition(def)
      setDestination(d)
    }
    load().catch((e: unknown) => live && setError(errorMessage(e)))
    return () => void (live = false)
  }, [id])

  const remove = async (): Promise<void> => {
    try {
      await useDestinations.getState().remove(id)
      useRouter.getState().navigate('/destinations')
    } catch (e) {
      setDeleteError(errorMessage(e))
    }
  }

  const fields = destination ? (definition ? catalogueFields(definition) : BUILT_IN_FIELDS[destination.kind as keyof typeof BUILT_IN_FIELDS]) : []
  return (
    <section className="screen destinations-screen" aria-labelledby="edit-destination-title">
      <header className="screen-header">
        <h1 id="edit-destination-title">{destination ? destination.name : `Destination ${id}`}</h1>
        <Link to={deliveriesPath(id)} className="button small ghost">
          Deliveries
        </Link>
        <Link to="/destinations" className="button small ghost">
          All destinations
        </Link>
        {destination && (
          <button type="button" className="button small ghost danger-text header-action" onClick={() => (setDeleteError(null), setDeleting(true))}>
            Delete
          </button>
        )}
      </header>
      <div className="routing-body">
        <FormError message={error} />
        {!destination && !error && <p className="muted loading">Loading…</p>}
        {destination?.kind === 'warehouse' && <WarehousePanel destination={destination} />}
        {destination && <DestinationEditor key={destination.id} fields={fields} initial={withSavedSchemas(draftFromDestination(destination, fields), destination)} definition={definition ?? undefined} existing={destination} />}
      </div>
      <ConfirmDialog open={deleting} title={`Delete “${destination?.name ?? id}”?`} confirmLabel="Delete destination" error={deleteError} onConfirm={() => void remove()} onCancel={() => setDeleting(false)}>
        <p>Delivery to it stops for good. Stored events are kept.</p>
      </ConfirmDialog>
    </section>
  )
}
