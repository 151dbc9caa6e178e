// Write keys are labels, not secrets, but they end up in logs, URLs and shell commands: printable ASCII,
// no spaces, at most 200 characters. The engine enforces it; the UI checks it before asking.
export const WRITE_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/
export const WRITE_KEY_RULE = 'A write key is 1–200 printable ASCII characters without spaces.'
