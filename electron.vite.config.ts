import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/** The Action destinations catalogue (src-main/engine/destinations/actions/catalogue.ts reads it next to the bundle). */
function actionsCatalogue(): Plugin {
  return {
    name: 'loupe-actions-catalogue',
    apply: 'build',
    closeBundle() {
      execFileSync(process.execPath, [resolve(__dirname, 'scripts/build-actions-catalogue.mjs'), resolve(__dirname, 'out/main/actions-catalogue.json')], { stdio: 'inherit' })
    }
  }
}

export default defineConfig({
  main: {
    plugins: [actionsCatalogue()],
    build: {
      outDir: 'out/main',
      minify: false,
      rollupOptions: {
        // cli = `loupe serve` (plain Node). index = the desktop app's main process (package.json "main",
        // so `electron .` and electron-builder find it); engine-host = the utility process running the engine.
        input: {
          cli: resolve(__dirname, 'src-main/cli.ts'),
          index: resolve(__dirname, 'src-main/desktop/main.ts'),
          'engine-host': resolve(__dirname, 'src-main/desktop/engine-host.ts'),
          // The store thread's and the line reader's entries (worker_threads Workers), found next to the bundle at run time.
          'writer-worker': resolve(__dirname, 'src-main/engine/store/writer-worker.ts'),
          'line-reader': resolve(__dirname, 'src-main/engine/routing/line-reader-thread.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // CommonJS, so the renderer can keep sandbox: true (an ESM preload needs the sandbox off).
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } }
    }
  }
})
