// Where a tracking request's write key comes from: HTTP Basic (username, empty password — some clients
// omit the colon), else `writeKey` in the body. A Bearer header (OAuth) carries no write key.

export function writeKeyFromAuthorization(header: string | undefined): string | null {
  if (!header || !/^basic\s/i.test(header)) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const key = colon === -1 ? decoded : decoded.slice(0, colon)
  return key === '' ? null : key
}

export function writeKeyFromBody(body: Record<string, unknown>): string | null {
  return typeof body.writeKey === 'string' && body.writeKey !== '' ? body.writeKey : null
}
