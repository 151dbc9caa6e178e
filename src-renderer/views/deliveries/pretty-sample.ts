// Request and response samples are stored as sent (often one long JSON line). Indent them when they
// parse as JSON; a truncated or non-JSON sample is shown exactly as it is.

export function prettySample(sample: string | null, empty: string): string {
  if (sample === null || sample === '') return empty
  const text = sample.trim()
  if (!text.startsWith('{') && !text.startsWith('[')) return sample
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return sample
  }
}
