// `node --import ./register.mjs out/main/index.js`: runs the built desktop main in plain Node, with
// 'electron' resolved to a recording stub (there is no Electron binary on every machine that tests).
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
