// Module resolve hook: 'electron' → the stub next to this file. Everything else resolves normally.
const STUB = new URL('./electron.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: STUB, shortCircuit: true }
  return nextResolve(specifier, context)
}
