// How a saved secret is shown anywhere outside the engine (admin API, delivery-log samples).

export const MASK = '••••'

export function maskSecret(secret: string): string {
  // Four characters help tell keys apart; of a short value they would give too much of it away.
  return secret.length >= 12 ? `${MASK}${secret.slice(-4)}` : MASK
}
