import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The web app lives in web/; it shares the terminal protocol module with the
// server (simulator/src/server/protocol.ts), so the dev server may read the
// whole checkout. `ckalab serve` serves the build from web/dist.
const root = fileURLToPath(new URL('.', import.meta.url))
const repo = fileURLToPath(new URL('..', import.meta.url))
const api = process.env.CKALAB_API ?? 'http://127.0.0.1:4173'

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    fs: { allow: [repo] },
    proxy: { '/api': { target: api, ws: true, changeOrigin: false } },
  },
})
