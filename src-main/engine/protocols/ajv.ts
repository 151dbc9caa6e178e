// The one way plan schemas are compiled: draft-07 with formats, strict off because Segment's exported schemas
// carry keywords of their own (labels, id, …). allErrors so one event reports every violation, not the first;
// verbose so an error carries the value it found (a violation's `actual`).

import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

/** A fresh compiler per plan version: ajv keeps every schema it compiled, so a shared one would only grow. */
export function newCompiler(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true })
  addFormats(ajv)
  // Segment's schemas mark their nodes with draft-04's `id` ("/properties/total"), which ajv refuses outright;
  // as a plain annotation it is harmless (it is not a base URI: `$id` is).
  ajv.removeKeyword('id')
  return ajv
}

/**
 * Segment's exports name their draft in `$schema` (sometimes an older one); all are checked as draft-07,
 * which ajv would otherwise refuse as an unknown meta-schema.
 */
export function compileSchema(ajv: Ajv, schema: Record<string, unknown>): ValidateFunction {
  const { $schema, ...rest } = schema
  const known = typeof $schema === 'string' && /^https?:\/\/json-schema\.org\/(draft-0[4-7]\/)?schema#?$/.test($schema)
  return ajv.compile(known || $schema === undefined ? rest : schema)
}
