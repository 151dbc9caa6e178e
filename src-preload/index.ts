// The desktop preload: the bridge between the sandboxed renderer and the main process.
// It exposes capabilities one named function at a time; the desktop-shell issue fills it in.
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('loupeDesktop', {
  isDesktop: true
})
