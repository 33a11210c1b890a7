// ckalab inside the page (the static build): the same attempt manager, lab
// catalogue, grader and terminal sessions as the server, wired to IndexedDB
// for storage and to Web Workers for the simulated clusters, which run the
// same environment host over the same message protocol as the server's
// worker threads. The page calls it exactly as it calls the server.

import { labs as bundledLabs, problems as bundledProblems } from 'virtual:ckalab-labs'
import type { FromHost } from '../../../../simulator/src/host/messages'
import { PooledHostDriver, sameSpec } from '../../../../simulator/src/host/pooled-driver'
import type { HostChannel } from '../../../../simulator/src/host/proxy'
import type { ClusterSpec, Driver } from '../../../../simulator/src/seam'
import {
  AttemptFileError,
  attemptFileName,
  encodeAttemptFile,
  parseAttemptFile,
} from '../../../../simulator/src/server/attempt-file'
import { AttemptError, AttemptManager } from '../../../../simulator/src/server/attempts'
import { catalogOf } from '../../../../simulator/src/server/catalog'
import type { Logger } from '../../../../simulator/src/server/log'
import type { LabCatalog } from '../../../../simulator/src/server/ports'
import { progressFrom } from '../../../../simulator/src/server/progress'
import { attemptIdOf, looksLikeToken, TicketBook } from '../../../../simulator/src/server/tokens'
import { ApiError, type AttemptView, type Backend, type LabDetail, type LabList } from '../types'
import { skipDormantTicks, wakeOnUse } from './dormant'
import { memoryBackend, openIndexedDb } from './idb'
import { localSocketClass } from './socket'
import { BrowserStore, type RecordBackend } from './store'
import { acquireTabLock } from './tab-lock'

const log: Logger = {
  debug: () => {},
  info: () => {},
  warn: (msg, fields) => console.warn(`ckalab: ${msg}`, fields ?? ''),
  error: (msg, fields) => console.error(`ckalab: ${msg}`, fields ?? ''),
}

/** One Web Worker with the environment host, ready once it said hello. */
function spawnWebWorker(): Promise<HostChannel> {
  const worker = new Worker(new URL('../../../../simulator/src/host/web-worker-entry.ts', import.meta.url), {
    type: 'module',
    name: 'ckalab-lab',
  })
  return new Promise<HostChannel>((resolve, reject) => {
    const exitListeners = new Set<(why: string) => void>()
    let ended = false
    let said = false
    worker.addEventListener('error', (ev) => {
      const why = `the simulator failed: ${ev.message || 'its worker stopped'}`
      if (!said) reject(new Error(why))
      if (ended) return
      ended = true
      for (const l of exitListeners) l(why)
    })
    const onHello = (ev: MessageEvent) => {
      if ((ev.data as FromHost).type !== 'hello') return
      worker.removeEventListener('message', onHello)
      said = true
      resolve({
        post: (message, transfer) => worker.postMessage(message, transfer ?? []),
        onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
        onExit: (listener) => exitListeners.add(listener),
        terminate: () => {
          ended = true
          worker.terminate()
        },
      })
    }
    worker.addEventListener('message', onHello)
  })
}

/** What needs a ckalab server, said on the catalogue of the static edition. */
const SERVER_ONLY = [
  'real kind clusters (Docker) — this edition runs the simulated cluster only',
  'classes and the instructor board',
  'grading for a teacher on a server; export an attempt and run `ckalab grade --from-file` instead',
]

interface Running {
  manager: AttemptManager
  store: BrowserStore
  catalog: LabCatalog
}

/** The cluster most labs run on: the one the spare worker has ready before a lab is chosen. */
function commonSpec(): ClusterSpec | undefined {
  const counts: { spec: ClusterSpec; n: number }[] = []
  for (const lab of bundledLabs) {
    if (!lab.drivers.includes('sim')) continue
    const seen = counts.find((c) => sameSpec(c.spec, lab.cluster))
    if (seen) seen.n++
    else counts.push({ spec: lab.cluster, n: 1 })
  }
  return counts.sort((a, b) => b.n - a.n)[0]?.spec
}

/**
 * After a lab starts, its setup and first prompt have the machine to
 * themselves for this long before the next spare cluster is made.
 */
const REFILL_DELAY_MS = 3000

const tickets = new TicketBook(30_000)
let running: Running | undefined
let starting: Promise<Running> | undefined
let driver: Driver | undefined
const noticeListeners = new Set<(n: string[]) => void>()
const standing = new Map<string, string>()

function setNotice(key: string, message: string | null): void {
  if (message === null) standing.delete(key)
  else standing.set(key, message)
  const list = [...standing.values()]
  for (const l of noticeListeners) l(list)
}

const lock = typeof navigator === 'undefined' ? undefined : acquireTabLock()

async function openStore(): Promise<BrowserStore> {
  let backend: RecordBackend
  try {
    backend = await openIndexedDb()
  } catch (err) {
    setNotice(
      'storage',
      `This browser gives ckalab no storage (${err instanceof Error ? err.message : String(err)}; a private window does this). ` +
        'You can practise, but nothing is kept when this tab closes; export an attempt to keep it.',
    )
    backend = memoryBackend()
  }
  let store = new BrowserStore(backend)
  try {
    await store.load()
  } catch (err) {
    setNotice(
      'storage',
      `ckalab could not read what this browser stored (${err instanceof Error ? err.message : String(err)}); ` +
        'you can go on, but earlier attempts are not shown and new work is kept only in this tab.',
    )
    store = new BrowserStore(memoryBackend())
  }
  if (store.unreadable.length > 0)
    setNotice(
      'unreadable',
      `${store.unreadable.length} stored attempt(s) could not be read (${store.unreadable[0].why}) and are left as they were; every other attempt works.`,
    )
  store.onError = (error) =>
    setNotice('save', error === null ? null : `Your work is not being saved: ${error}.`)
  return store
}

async function boot(): Promise<Running> {
  if (lock && !lock.held) {
    const got = await Promise.race([
      lock.acquired.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 300)),
    ])
    if (!got) {
      setNotice(
        'tab',
        'ckalab is already open in another tab of this browser, and only one tab runs labs at a time so neither overwrites the other\'s work. Use that tab, or press "Use this tab" here.',
      )
      await lock.acquired
      setNotice('tab', null)
    }
  }
  const store = await openStore()
  const catalog = skipDormantTicks(catalogOf(bundledLabs, bundledProblems))
  if (!driver) {
    const pool = new PooledHostDriver(spawnWebWorker, {
      warmSpare: true,
      prepare: commonSpec(),
      refillDelayMs: REFILL_DELAY_MS,
    })
    // For `npm run bench`: "warm" lab starts wait for the spare cluster first.
    ;(window as { __ckalabWarm?: () => Promise<void> }).__ckalabWarm = () => pool.warm()
    driver = wakeOnUse(pool)
  }
  const manager = new AttemptManager({ store, driver, catalog, log, tickMs: 1000 })
  await manager.ready
  const r = { manager, store, catalog }
  lock?.onHandOverRequest(async () => {
    // The manager running now: an import or a delete may have replaced the one made here.
    const current = running ?? r
    running = undefined
    starting = undefined
    await current.manager.close().catch(() => {})
    await current.store.flush().catch(() => {})
    setNotice(
      'tab',
      'Your labs moved to another tab of this browser. Reload this page to bring them back here.',
    )
  })
  window.addEventListener('pagehide', () => void store.flush().catch(() => {}))
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void store.flush().catch(() => {})
  })
  running = r
  return r
}

function ready(): Promise<Running> {
  if (running) return Promise.resolve(running)
  if (standing.has('tab') && !starting)
    return Promise.reject(new ApiError(423, standing.get('tab') ?? 'ckalab runs in another tab'))
  starting ??= boot()
  return starting
}

/** Runs a manager call and turns its errors into the page's ApiError, as the server's routes do. */
async function call<T>(fn: (r: Running) => T | Promise<T>): Promise<T> {
  const r = await ready()
  try {
    return await fn(r)
  } catch (err) {
    if (err instanceof ApiError) throw err
    const status = err instanceof AttemptError ? err.status : 500
    throw new ApiError(status, err instanceof Error ? err.message : String(err))
  }
}

function idOf(r: Running, token: string): string {
  if (!looksLikeToken(token)) throw new ApiError(404, 'no such attempt in this browser; check the link')
  const id = attemptIdOf(token)
  if (!r.manager.has(id))
    throw new ApiError(
      404,
      'no such attempt in this browser; it may have been deleted, or it was made in another browser',
    )
  return id
}

function view(r: Running, id: string): AttemptView {
  const v = r.manager.view(id)
  // Storage trouble is the learner's to know on the attempt page, as a failed save is on the server.
  return r.store.error && !v.saveError
    ? { ...v, saveError: `your work is not being saved: ${r.store.error}` }
    : v
}

/**
 * While an attempt is being created, a look at it (after the first) waits up
 * to this long for its state to change, so the page sees "ready" the moment
 * it is instead of at its next poll.
 */
const CREATING_WAIT_MS = 2000
const seenCreating = new Set<string>()

function stateChange(r: Running, id: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      off()
      clearTimeout(timer)
      resolve()
    }
    const off = r.manager.subscribe((changed) => {
      if (changed === id) done()
    })
    const timer = setTimeout(done, ms)
  })
}

/** Download links for reports; one object URL per report, let go when a newer one replaces it. */
const reportUrls = new Map<string, { at: number; url: string }>()
function reportUrl(token: string, kind: 'json' | 'xml'): string {
  const r = running
  if (!r) return '#'
  try {
    const id = idOf(r, token)
    const rep = r.store.latestReport(id)
    const visible = r.manager.latestReport(id)
    if (!rep || !visible) return '#'
    const key = `${id}:${kind}`
    const cached = reportUrls.get(key)
    if (cached && cached.at === rep.at) return cached.url
    if (cached) URL.revokeObjectURL(cached.url)
    const blob =
      kind === 'json'
        ? new Blob([`${JSON.stringify(visible, null, 2)}\n`], { type: 'application/json' })
        : new Blob([r.manager.junit(visible)], { type: 'application/xml' })
    const url = URL.createObjectURL(blob)
    reportUrls.set(key, { at: rep.at, url })
    return url
  } catch {
    return '#'
  }
}

/** Closes the running manager and starts a new one over the same store (after an import or a delete). */
async function restart(r: Running, change: () => Promise<void>): Promise<void> {
  running = undefined
  starting = undefined
  await r.manager.close()
  await r.store.flush().catch(() => {})
  await change()
  starting = (async () => {
    const manager = new AttemptManager({
      store: r.store,
      driver: driver as Driver,
      catalog: r.catalog,
      log,
      tickMs: 1000,
    })
    await manager.ready
    running = { ...r, manager }
    return running
  })()
  await starting
}

const Socket = localSocketClass({ manager: () => running?.manager, tickets })

export const browserBackend: Backend = {
  kind: 'browser',
  routing: 'hash',
  labs: () =>
    call(async (r): Promise<LabList> => {
      const { labs, errors } = await r.catalog.list()
      return {
        driver: { name: 'sim', ok: true, reason: null },
        labs: labs.map((l) => ({ ...l, runnableHere: l.drivers.includes('sim') })),
        errors,
      }
    }),
  health: async () => ({ ok: true, driver: 'sim' }),
  progress: () =>
    call((r) => progressFrom(r.store.listAttempts().map((row) => ({ row, events: r.store.events(row.id) })))),
  transcript: (token) => call((r) => ({ screens: r.manager.transcript(idOf(r, token)) })),
  lab: (id) =>
    call(async (r): Promise<LabDetail> => {
      const lab = await r.catalog.get(id)
      if (!lab) throw new ApiError(404, `no lab named "${id}"`)
      const { hints, cluster: _cluster, ...rest } = lab
      return { ...rest, hintsTotal: hints.length, runnableHere: lab.drivers.includes('sim') }
    }),
  start: (lab, mode) =>
    call(async (r) => {
      const started = await r.manager.start(lab, mode)
      r.store.setToken(started.id, started.token)
      return started
    }),
  attempt: (token) =>
    call(async (r) => {
      const id = idOf(r, token)
      if (r.manager.view(id).state === 'creating') {
        if (seenCreating.has(id)) await stateChange(r, id, CREATING_WAIT_MS)
        else seenCreating.add(id)
      } else seenCreating.delete(id)
      return view(r, id)
    }),
  grade: (token) => call((r) => r.manager.grade(idOf(r, token), false)),
  submit: (token) =>
    call(async (r) => {
      const id = idOf(r, token)
      const report = await r.manager.grade(id, true)
      tickets.revokeAttempt(id)
      return report
    }),
  reset: (token) =>
    call((r) => {
      const id = idOf(r, token)
      void r.manager.reset(id).catch((err) => log.warn('reset failed', { attempt: id, err }))
      tickets.revokeAttempt(id)
      return view(r, id)
    }),
  stop: (token) =>
    call(async (r) => {
      const id = idOf(r, token)
      await r.manager.stop(id)
      tickets.revokeAttempt(id)
      return view(r, id)
    }),
  hint: (token) => call((r) => ({ hints: r.manager.hint(idOf(r, token)) })),
  solution: (token) => call(async (r) => ({ markdown: await r.manager.solution(idOf(r, token)) })),
  ticket: (token, node) =>
    call((r) => {
      const id = idOf(r, token)
      const v = r.manager.view(id)
      if (v.state !== 'ready')
        throw new ApiError(409, `the lab is ${v.state}; terminals open once it is ready`)
      if (!v.nodes.includes(node)) throw new ApiError(404, `this lab has no node named "${node}"`)
      return tickets.issue(id, node)
    }),
  reportUrl,
  terminalSocket: () => ({ url: 'local:terminal', WebSocketImpl: Socket }),
  exportAttempt: (token) =>
    call(async (r) => {
      const id = idOf(r, token)
      await r.manager.flush(id)
      const rec = r.store.record(id)
      if (!rec) throw new ApiError(404, 'no such attempt in this browser')
      return {
        name: attemptFileName(rec),
        blob: new Blob([encodeAttemptFile(rec, r.store.env(id))], { type: 'application/json' }),
      }
    }),
  importAttempt: (file) =>
    call(async (r) => {
      let parsed: ReturnType<typeof parseAttemptFile>
      try {
        parsed = parseAttemptFile(await file.text())
      } catch (err) {
        throw new ApiError(400, err instanceof AttemptFileError ? err.message : String(err))
      }
      if (!(await r.catalog.get(parsed.record.row.lab)))
        throw new ApiError(
          400,
          `this file is an attempt at "${parsed.record.row.lab}", a lab this edition does not have`,
        )
      await restart(r, async () => {
        r.store.put(parsed.record, parsed.env)
        await r.store.flush().catch(() => {})
      })
      return { token: parsed.record.token, lab: parsed.record.row.lab }
    }),
  deleteAllData: () =>
    call(async (r) => {
      await restart(r, () => r.store.clear())
      for (const { url } of reportUrls.values()) URL.revokeObjectURL(url)
      reportUrls.clear()
      try {
        for (const k of Object.keys(localStorage)) if (k.startsWith('ckalab')) localStorage.removeItem(k)
      } catch {
        /* storage switched off: nothing kept there either */
      }
      setNotice('unreadable', null)
    }),
  notices: () => [...standing.values()],
  takeOver: () => lock?.askHandOver(),
  serverOnly: SERVER_ONLY,
  onNotices: (listener) => {
    noticeListeners.add(listener)
    return () => noticeListeners.delete(listener)
  },
}

// The app shell, its labs and its workers are kept by a service worker, so the
// page works offline after the first visit. A browser without one (or a page
// not served from a secure origin) simply stays online-only.
if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator && window.isSecureContext)
  void navigator.serviceWorker.register('./sw.js').catch((err) => log.warn('no offline copy', { err }))
