// Runs a TypeScript worker entry from the sources (tests, `loupe` without a build): registers tsx in the
// worker thread, then imports the entry. The build runs the compiled worker directly instead.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
