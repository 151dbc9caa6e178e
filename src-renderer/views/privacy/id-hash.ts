// Hashes of ids as the engine keeps them for suppressions and deletions (keyed with the data dir's salt, so
// only the engine can tell whether an id is the one): shown shortened, enough to tell entries apart.

/** The start of a hash, enough to tell entries apart on screen. */
export const shortHash = (hash: string): string => `${hash.slice(0, 12)}…`
