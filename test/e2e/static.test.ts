// The static build (npm run build:static) in a real browser, served by a plain
// static file server and no ckalab process: the etcd-backup-restore lab solved
// by typing (the manifest edited in vim), every check passing; a reload finds
// the attempt as it was (screen, files, report); offline, a new lab starts.
// Also: the bundle holds no server code, the page asks nothing of any other
// origin, and bad storage (a corrupted attempt, no IndexedDB, a second tab)
// gets a message while the learner goes on.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StaticServer, serveStatic } from './static-server'
import {
  chromiumAvailable,
  launchBrowser,
  REPO,
  resultsDir,
  runCommand,
  typeLine,
  waitForTerminal,
} from './support'

const LAB = 'etcd-backup-restore'
const haveChromium = chromiumAvailable()
let browser: Browser
let server: StaticServer
let dir: string
let ownBuild: string | undefined

/** The build under test: CKALAB_STATIC_DIR (scripts/test.sh builds it first), else a fresh one. */
function staticDir(): string {
  if (process.env.CKALAB_STATIC_DIR) return process.env.CKALAB_STATIC_DIR
  ownBuild = mkdtempSync(join(tmpdir(), 'ckalab-static-'))
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'scripts/build-static.ts'), '--out', ownBuild],
    {
      cwd: REPO,
      stdio: 'inherit',
    },
  )
  return ownBuild
}

beforeAll(async () => {
  if (!haveChromium) return
  dir = staticDir()
  server = await serveStatic(dir)
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (ownBuild) rmSync(ownBuild, { recursive: true, force: true })
})

function solutionLines(): string[] {
  return readFileSync(join(REPO, 'labs', LAB, 'solution.sh'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

/** Every request the page makes, by URL (service worker's included). */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = []
  context.on('request', (r) => urls.push(r.url()))
  return urls
}

async function waitForPrompt(page: Page): Promise<void> {
  const open = page.locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
  const failed = page.locator('.failed')
  await open.or(failed).first().waitFor({ timeout: 120_000 })
  if (await failed.isVisible()) throw new Error(`the lab could not be created: ${await failed.textContent()}`)
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 60_000)
}

async function startLab(page: Page, lab: string): Promise<void> {
  await page.goto(server.url)
  const card = page.locator(`article.card[data-lab="${lab}"]`)
  await card.waitFor({ timeout: 60_000 })
  await card.getByRole('button', { name: 'Practice' }).click()
  await page.waitForURL(/#\/attempt\//)
  await waitForPrompt(page)
}

async function editManifestInVim(page: Page): Promise<void> {
  await typeLine(page, 'vim /etc/kubernetes/manifests/etcd.yaml')
  await waitForTerminal(
    page,
    (t) => t.includes('"/etc/kubernetes/manifests/etcd.yaml"') && t.includes('apiVersion'),
    'vim showing etcd.yaml',
  )
  await page.keyboard.type(':%s#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#', { delay: 2 })
  await page.keyboard.press('Enter')
  await page.keyboard.type(':wq', { delay: 2 })
  await page.keyboard.press('Enter')
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t.trimEnd()), 'the prompt after vim')
}

/** Instead of the solution's fixed `sleep`: asks, as a learner would, until etcd is back on the restored data. */
async function untilRolledBack(page: Page): Promise<void> {
  const until = Date.now() + 90_000
  for (;;) {
    const out = (await runCommand(page, 'kubectl get deploy', 30_000)).split('kubectl get deploy').pop() ?? ''
    if (out.includes('web-frontend') && !out.includes('audit-logger')) return
    if (Date.now() > until) throw new Error(`the cluster did not roll back in 90 s; kubectl shows:\n${out}`)
    await page.waitForTimeout(2000)
  }
}

describe.skipIf(!haveChromium)('the static build, with no ckalab server', () => {
  it('holds no server code', () => {
    const files = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'))
    expect(files.length).toBeGreaterThan(1)
    const text = files.map((f) => readFileSync(join(dir, 'assets', f), 'utf8')).join('\n')
    // The server's database, HTTP and WebSocket servers, its API routes, the kind driver and Node's own modules.
    for (const marker of [
      'better-sqlite3',
      'WebSocketServer',
      'createServer(',
      '/api/attempts',
      '/api/terminal',
      'dockerode',
      'kind create cluster',
      'worker_threads',
      'node:fs',
      'node:http',
      'node:child_process',
    ])
      expect(text.includes(marker), `the bundle contains "${marker}"`).toBe(false)
    // ...while the grader and the simulator are there.
    expect(text).toContain('etcd-uses-restored-data')
    expect(text).toContain('snapshot save')
  })

  it('solves etcd-backup-restore by typing, keeps it across a reload, and starts a lab offline', async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 } })
    const urls = recordRequests(context)
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    await startLab(page, LAB)
    for (const line of solutionLines()) {
      if (line.includes('snapshot save')) {
        await runCommand(page, line, 60_000)
        await page.locator('.lab-notice').waitFor({ timeout: 30_000 })
      } else if (line.startsWith('sed -i')) await editManifestInVim(page)
      else if (line.startsWith('sleep')) await untilRolledBack(page)
      else await runCommand(page, line, 60_000)
    }
    await page.getByRole('button', { name: 'Check my work' }).click()
    const report = page.locator('.report')
    await report.waitFor({ timeout: 60_000 })
    await page.screenshot({ path: join(resultsDir(), 'static-report-pass.png') })
    expect(await page.locator('.check:not([data-verdict="pass"])').allInnerTexts()).toEqual([])
    expect(await report.getAttribute('data-verdict')).toBe('pass')
    const checks = await page.locator('.check').count()
    expect(checks).toBeGreaterThan(3)

    // Reload: the same attempt, its screen, its report and its files.
    const attemptUrl = page.url()
    await page.waitForTimeout(1500)
    await page.reload()
    await waitForPrompt(page)
    expect(page.url()).toBe(attemptUrl)
    await waitForTerminal(page, (t) => t.includes('kubectl get deploy'), 'the screen as it was')
    await page.locator('.report[data-verdict="pass"]').waitFor({ timeout: 30_000 })
    await page.locator('.xterm').click()
    const ls = await runCommand(page, 'ls /var/lib/etcd-from-backup /opt/backup')
    expect(ls.split('ls /var/lib').pop()).toContain('etcd-snapshot.db')
    expect(ls.split('ls /var/lib').pop()).toContain('member')

    // Offline: the service worker serves the app; a new lab starts and gives a prompt.
    await context.setOffline(true)
    await startLab(page, 'etcd-client-setup')
    const text = await runCommand(page, 'hostname')
    expect(text.split('hostname').pop()).toContain('controlplane')
    await page.screenshot({ path: join(resultsDir(), 'static-offline-lab.png') })

    const origin = new URL(server.url).origin
    const foreign = urls.filter((u) => !u.startsWith(`${origin}/`) && !/^(blob|data):/.test(u))
    expect(foreign).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('says what is wrong with storage or tabs, and the learner goes on', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(server.url)
    await page.locator('article.card').first().waitFor({ timeout: 60_000 })

    // A stored attempt that cannot be read: named on every page, the rest works.
    await page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('ckalab')
      open.onsuccess = () => {
        const tx = open.result.transaction('attempts', 'readwrite')
        tx.objectStore('attempts').put({ id: 'broken-attempt', row: 'not a row' })
        tx.oncomplete = () => resolve(true)
        tx.onerror = () => reject(tx.error)
      }
      open.onerror = () => reject(open.error)
    })`)
    await page.reload()
    const unreadable = page.locator('.edition-notice', { hasText: 'could not be read' })
    await unreadable.waitFor({ timeout: 30_000 })
    await page.locator('article.card').first().waitFor()

    // A second tab: told the labs run in the first one, and can take them over.
    const second = await context.newPage()
    await second.goto(server.url)
    const other = second.locator('.edition-notice', { hasText: 'another tab' })
    await other.waitFor({ timeout: 30_000 })
    await other.getByRole('button', { name: 'Use this tab' }).click()
    await second.locator('article.card').first().waitFor({ timeout: 30_000 })
    await page.locator('.edition-notice', { hasText: 'moved to another tab' }).waitFor({ timeout: 30_000 })
    await context.close()

    // No storage at all (as in some private windows): said once, labs still listed.
    const bare = await browser.newContext()
    await bare.addInitScript(
      'Object.defineProperty(window, "indexedDB", { get() { throw new Error("storage is disabled") } })',
    )
    const p3 = await bare.newPage()
    await p3.goto(server.url)
    await p3.locator('.edition-notice', { hasText: 'no storage' }).waitFor({ timeout: 30_000 })
    await p3.locator('article.card').first().waitFor({ timeout: 30_000 })
    await bare.close()
  })
})
