// IndexedDB under the browser store: two object stores, attempts (small,
// written often) and envs (the simulated cluster's saved state, larger).
// When IndexedDB cannot be opened (a private window, storage switched off),
// a memory-only backend keeps the page working and says so.

import type { AttemptRecord, EnvRecord, RecordBackend } from './store'

const DB_NAME = 'ckalab'
const DB_VERSION = 1

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('the browser aborted the write'))
  })
}

export async function openIndexedDb(timeoutMs = 3000): Promise<RecordBackend> {
  if (typeof indexedDB === 'undefined') throw new Error('this browser offers no IndexedDB')
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    let req: IDBOpenDBRequest
    try {
      req = indexedDB.open(DB_NAME, DB_VERSION)
    } catch (err) {
      reject(err)
      return
    }
    // Some private modes leave the request pending forever; the page must not wait on it.
    const timer = setTimeout(() => reject(new Error('the browser did not open its storage')), timeoutMs)
    req.onupgradeneeded = () => {
      const d = req.result
      if (!d.objectStoreNames.contains('attempts')) d.createObjectStore('attempts', { keyPath: 'id' })
      if (!d.objectStoreNames.contains('envs')) d.createObjectStore('envs', { keyPath: 'id' })
    }
    req.onsuccess = () => {
      clearTimeout(timer)
      resolve(req.result)
    }
    req.onerror = () => {
      clearTimeout(timer)
      reject(req.error ?? new Error('the browser refused to open its storage'))
    }
    req.onblocked = () => {
      clearTimeout(timer)
      reject(new Error('another tab holds an older version of ckalab open; close it and reload'))
    }
  })
  return {
    async loadAll() {
      const tx = db.transaction(['attempts', 'envs'], 'readonly')
      const [attempts, envs] = await Promise.all([
        promised(tx.objectStore('attempts').getAll()),
        promised(tx.objectStore('envs').getAll()),
      ])
      return { attempts, envs }
    },
    async write(
      attempts: AttemptRecord[],
      envs: EnvRecord[],
      deletedEnvs: string[],
      deletedAttempts: string[],
    ) {
      const tx = db.transaction(['attempts', 'envs'], 'readwrite')
      const a = tx.objectStore('attempts')
      const e = tx.objectStore('envs')
      for (const r of attempts) a.put(r)
      for (const r of envs) e.put(r)
      for (const id of deletedEnvs) e.delete(id)
      for (const id of deletedAttempts) {
        a.delete(id)
        e.delete(id)
      }
      await done(tx)
    },
    async clear() {
      const tx = db.transaction(['attempts', 'envs'], 'readwrite')
      tx.objectStore('attempts').clear()
      tx.objectStore('envs').clear()
      await done(tx)
    },
  }
}

/** Keeps nothing past the tab: the fallback when the browser gives no storage. */
export function memoryBackend(): RecordBackend {
  return {
    loadAll: async () => ({ attempts: [], envs: [] }),
    write: async () => {},
    clear: async () => {},
  }
}
