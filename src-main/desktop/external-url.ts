// Decides which URLs may leave the app for the system browser, and which belong to the engine.
//
// Threat model: these strings come from page JavaScript or from links inside event payloads, i.e. from
// whoever sent Loupe an event. `shell.openExternal` hands its argument to the OS, where `file:`, `smb:`
// or a custom scheme can run programs or leak NTLM hashes. So only http(s) URLs leave, without
// credentials, and origins are compared on parsed URLs (a prefix test lets
// `http://127.0.0.1:7420.evil.example` through). No electron import: pure and unit-tested.

const MAX_URL_LENGTH = 8192

/** The URL if it may be opened in the system browser, else null. */
export function parseExternalUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username !== '' || url.password !== '') return null
  return url
}

/** True only when `value` parses and its origin is exactly the engine's (scheme, host and port). */
export function isEngineUrl(value: string, engineOrigin: string | null): boolean {
  if (engineOrigin === null) return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === engineOrigin
  } catch {
    return false
  }
}
