import type { CatalogueDestination } from '../../../src-shared/api'
import { fieldsFromCatalogue, fieldsFromJsonSchema, type FormField } from './settings-fields'

/** A catalogue destination's settings form: its field list, or its JSON Schema when it has none. */
export function catalogueFields(definition: CatalogueDestination): FormField[] {
  return definition.settings.length > 0 ? fieldsFromCatalogue(definition.settings) : fieldsFromJsonSchema(definition.settingsSchema)
}
