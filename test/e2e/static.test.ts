// The static build (npm run build:static) in a real browser, served by a plain
// static file server and no ckalab process: the etcd-backup-restore lab solved
// by typing (the manifest edited in vim), every check passing; a reload finds
// the attempt as it was (screen, files, report); offline, a new lab starts.
// Also: the bundle holds no server code, the page asks nothing of any other
// origin, and bad storage (a corrupted attempt, no IndexedDB, a second tab)
// gets a message while the learner goes on.

import { execFileSync, spawnSync } from 'node:child_process'
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

/** The attempt rows this browser keeps in IndexedDB (what "delete my data" must empty). */
async function storedRows(
  page: Page,
): Promise<{ id: string; lab: string; mode: string; deadline: number | null }[]> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('ckalab')
    open.onsuccess = () => {
      const db = open.result
      if (!db.objectStoreNames.contains('attempts')) return resolve([])
      const req = db.transaction('attempts', 'readonly').objectStore('attempts').getAll()
      req.onsuccess = () => resolve(req.result.filter((r) => r && r.row && r.row.id).map((r) => r.row))
      req.onerror = () => reject(req.error)
    }
    open.onerror = () => reject(open.error)
  })`)) as { id: string; lab: string; mode: string; deadline: number | null }[]
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

  it('exports an attempt to a file that another browser imports and `ckalab grade --from-file` grades the same; "delete my data" empties the store', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ckalab-export-'))
    try {
      const context = await browser.newContext({
        viewport: { width: 1500, height: 900 },
        acceptDownloads: true,
      })
      const page = await context.newPage()
      await startLab(page, LAB)
      // Part of the work (the snapshot, not the restore): a report with passes and failures.
      await runCommand(page, solutionLines().find((l) => l.includes('snapshot save')) as string, 60_000)
      await page.getByRole('button', { name: 'Check my work' }).click()
      await page.locator('.report[data-verdict]').waitFor({ timeout: 60_000 })
      const verdicts = async (p: Page) =>
        Object.fromEntries(
          await p
            .locator('.report[data-verdict] .check')
            .evaluateAll((els) =>
              els.map((e) => [e.getAttribute('data-check'), e.getAttribute('data-verdict')]),
            ),
        ) as Record<string, string>
      const inBrowser = await verdicts(page)
      expect(Object.values(inBrowser)).toContain('pass')
      expect(Object.values(inBrowser)).toContain('fail')

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export' }).click(),
      ])
      const file = join(work, download.suggestedFilename())
      await download.saveAs(file)
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^ckalab-${LAB}-[0-9a-f]{8}-\\d{4}-\\d\\d-\\d\\d\\.json$`),
      )
      const attemptUrl = page.url()
      await context.close()

      // A teacher's copy of ckalab grades the file as the browser did.
      const cli = spawnSync(
        process.execPath,
        [join(REPO, 'bin/ckalab.mjs'), 'grade', '--from-file', file, '--format', 'json'],
        { cwd: REPO, encoding: 'utf8', timeout: 120_000 },
      )
      expect(cli.stderr).toBe('')
      const graded = JSON.parse(cli.stdout) as { lab: string; checks: { id: string; verdict: string }[] }
      expect(graded.lab).toBe(LAB)
      expect(Object.fromEntries(graded.checks.map((c) => [c.id, c.verdict]))).toEqual(inBrowser)
      expect(cli.status).not.toBe(0)

      // Another browser (a fresh context) imports it: the same attempt, its report and its files.
      const other = await browser.newContext({ viewport: { width: 1500, height: 900 } })
      const second = await other.newPage()
      await second.goto(server.url)
      await second.locator('article.card').first().waitFor({ timeout: 60_000 })
      await second.locator('input[type="file"]').setInputFiles(file)
      await second.waitForURL(/#\/attempt\//)
      expect(second.url().split('#')[1]).toBe(attemptUrl.split('#')[1])
      await waitForPrompt(second)
      await second.locator('.report[data-verdict]').waitFor({ timeout: 30_000 })
      expect(await verdicts(second)).toEqual(inBrowser)
      await second.locator('.xterm').click()
      expect((await runCommand(second, 'ls /opt/backup')).split('ls /opt/backup').pop()).toContain(
        'etcd-snapshot.db',
      )
      expect((await storedRows(second)).map((r) => r.lab)).toEqual([LAB])

      // "Delete my data": nothing stored, nothing in progress, the old link leads nowhere.
      await second.goto(server.url)
      await second.locator('.recent', { hasText: 'Continue' }).waitFor({ timeout: 30_000 })
      const del = second.getByRole('button', { name: 'Delete my data' })
      await del.click()
      await second.getByRole('button', { name: 'Delete every attempt in this browser?' }).click()
      await second.waitForEvent('load', { timeout: 30_000 })
      await second.locator('article.card').first().waitFor({ timeout: 60_000 })
      expect(await storedRows(second)).toEqual([])
      expect(await second.locator('.recent').count()).toBe(0)
      expect(await second.locator('article.card .progress-line').count()).toBe(0)
      await second.goto(attemptUrl.replace(new URL(attemptUrl).origin, new URL(server.url).origin))
      await second.locator('[role="alert"]', { hasText: 'no such attempt' }).waitFor({ timeout: 30_000 })
      await other.close()
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('keeps the deadline of an exam across a reload and a reset, and its final report shows the time used', async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 } })
    const page = await context.newPage()
    await page.goto(server.url)
    const card = page.locator('article.card[data-lab="etcd-client-setup"]')
    await card.waitFor({ timeout: 60_000 })
    await card.getByRole('button', { name: 'Exam: ' }).click()
    await page.waitForURL(/#\/attempt\//)
    await waitForPrompt(page)
    await page.locator('.timer.countdown, .timer').first().waitFor()
    const [row] = await storedRows(page)
    expect(row.mode).toBe('exam')
    expect(row.deadline).toBeGreaterThan(Date.now())
    // No hints in an exam.
    expect(await page.locator('.hints').count()).toBe(0)

    // A reload: the same deadline, the clock still counting down.
    await page.reload()
    await waitForPrompt(page)
    expect((await storedRows(page))[0].deadline).toBe(row.deadline)
    const left = await page.locator('.timer').textContent()
    expect(left).toMatch(/\d+:\d\d/)

    // Reset: a fresh cluster, the same deadline (the clock keeps running).
    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await page.getByRole('button', { name: 'Reset? The clock keeps running' }).click()
    await page.locator('main.attempt[data-state="ready"]').waitFor({ timeout: 120_000 })
    await waitForPrompt(page)
    expect((await storedRows(page))[0].deadline).toBe(row.deadline)

    // Submit: the final report, with the time used.
    await page.getByRole('button', { name: 'Submit', exact: true }).click()
    await page.getByRole('button', { name: 'Submit now?' }).click()
    await page.locator('.report').waitFor({ timeout: 60_000 })
    await page.locator('main.attempt[data-state="submitted"]').waitFor({ timeout: 30_000 })
    const used = await page.getByTestId('time-used').textContent()
    expect(used).toMatch(/^\d+:\d\d/)
    // Reload: the submitted exam as it ended, report and time used included.
    await page.reload()
    await page.getByTestId('time-used').waitFor({ timeout: 30_000 })
    expect(await page.locator('.report a', { hasText: 'JSON' }).count()).toBeGreaterThan(0)
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
