// Serves the built web app (web/dist). Paths are resolved inside the root and
// anything else falls back to index.html, so client-side routes reload fine.

import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export function defaultWebDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../web/dist')
}

const MISSING = `<!doctype html><meta charset="utf-8"><title>ckalab</title>
<p>The web app has not been built yet. Run <code>npx vite build web</code> in the ckalab checkout, then reload.</p>`

export function createStaticHandler(root: string) {
  const base = resolve(root)
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let rel: string
    try {
      rel = decodeURIComponent(pathname)
    } catch {
      res.writeHead(400).end('bad path')
      return
    }
    const candidate = normalize(join(base, rel))
    const inside = candidate === base || candidate.startsWith(base + sep)
    let file = inside ? candidate : join(base, 'index.html')
    let isAsset = inside && extname(file) !== ''
    try {
      const s = await stat(file)
      if (!s.isFile()) throw new Error('not a file')
    } catch {
      if (isAsset && rel.startsWith('/assets/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
        return
      }
      file = join(base, 'index.html')
      isAsset = false
    }
    if (!existsSync(file)) {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(MISSING)
      return
    }
    const body = await readFile(file)
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Vite fingerprints everything under assets/; the index must always be fresh.
      'cache-control': file.includes(`${sep}assets${sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }
}
