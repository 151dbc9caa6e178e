// In a child started by the stub's utilityProcess.fork (a Node child_process with an IPC channel):
// provides process.parentPort the way Electron's utility process does.
if (process.send) {
  process.parentPort = {
    on(event, listener) {
      if (event === 'message') process.on('message', (data) => listener({ data }))
    },
    postMessage(message) {
      process.send(message)
    }
  }
}
