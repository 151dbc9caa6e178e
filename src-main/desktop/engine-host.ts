// Entry of the engine's Electron utilityProcess (out/main/engine-host.js). The engine runs here, not
// in main, so a crash or a long SQLite operation never freezes the windows, and main can restart it.
// Nothing here imports electron: process.parentPort is all the utility process needs.

import { runEngineHost, type ParentPortLike } from './run-engine-host'

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort
if (!parentPort) {
  process.stderr.write('engine-host.js runs inside the Loupe desktop app (an Electron utility process); use `loupe serve` instead.\n')
  process.exit(2)
}
const host = runEngineHost(parentPort)
// utilityProcess.kill() sends SIGTERM: finish in-flight commits before going.
process.once('SIGTERM', () => void host.stop())
process.once('SIGINT', () => void host.stop())
