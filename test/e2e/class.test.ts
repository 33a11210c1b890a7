// An instructor-led class in real browsers on the simulator: one instructor
// and three learners, each in their own browser context. The instructor
// creates the class, the learners join by code, one solves the etcd backup
// and restore lab while the board turns its checks green, the instructor
// mirrors a learner as they type (then takes over), resets one learner,
// extends another, broadcasts a message, ends the class and exports it; the
// exports match each learner's own report.

import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildWeb,
  chromiumAvailable,
  launchBrowser,
  REPO,
  runCommand,
  ServerProcess,
  terminalText,
  typeLine,
  waitForTerminal,
} from './support'

const LAB = 'etcd-backup-restore'
// The screenshots in docs/ are refreshed with CKALAB_DOCS_SCREENSHOTS=1; otherwise they go to test-results/.
const SHOTS = process.env.CKALAB_DOCS_SCREENSHOTS === '1' ? join(REPO, 'docs') : join(REPO, 'test-results')
const haveChromium = chromiumAvailable()
let browser: Browser
let server: ServerProcess
const contexts: BrowserContext[] = []

beforeAll(async () => {
  if (!haveChromium) return
  buildWeb()
  server = new ServerProcess('sim')
  await server.start()
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {})
  await browser?.close()
  await server?.dispose()
})

async function newPage(width = 1400, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true })
  contexts.push(context)
  return context.newPage()
}

function solutionLines(): string[] {
  return readFileSync(join(REPO, 'labs', LAB, 'solution.sh'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

async function api(path: string): Promise<any> {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.instructorKey}` } })
  const text = await res.text()
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`)
  return path.endsWith('.csv') || path.endsWith('.xml') ? text : JSON.parse(text)
}

async function joinClass(code: string, name: string): Promise<{ page: Page; seatToken: string }> {
  const page = await newPage(1300, 820)
  await page.goto(`${server.url}/join/${code}`)
  await page.getByLabel(/Your name/).fill(name)
  await page.getByRole('button', { name: 'Join' }).click()
  await page.waitForURL(/\/seat\//)
  const seatToken = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)
  return { page, seatToken }
}

async function terminalOpen(page: Page): Promise<void> {
  await page
    .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
    .waitFor({ timeout: 60_000 })
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 30_000)
  await page.locator('.xterm').first().click()
}

const row = (page: Page, name: string) => page.locator(`table.board tr[data-name="${name}"]`)

describe.skipIf(!haveChromium)('a class in the browser (simulator)', () => {
  it('runs a class from creation to export with one instructor and three learners', async () => {
    const t0 = Date.now()
    const mark = (what: string) =>
      process.stderr.write(`[class e2e] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    expect(server.instructorKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    mkdirSync(SHOTS, { recursive: true })

    // The instructor creates the class.
    const teacher = await newPage(1500, 980)
    await teacher.goto(`${server.url}/instructor#key=${server.instructorKey}`)
    await teacher.getByLabel('Name').fill('Thursday etcd drill')
    expect(teacher.url()).not.toContain('key=') // the key leaves the address bar
    await teacher.locator(`input[name="lab"][value="${LAB}"]`).check()
    await teacher.locator('input[name="seats"]').fill('3')
    await teacher.getByRole('button', { name: 'Create class' }).click()
    await teacher.waitForURL(/\/instructor\/classes\//)
    const classId = new URL(teacher.url()).pathname.split('/').pop()!
    const code = (await teacher.locator('.join-code').textContent())!.trim()
    expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/)

    // Three learners join by the code; the environments are made while they wait.
    const [ada, bob, cy] = await Promise.all([
      joinClass(code, 'Ada'),
      joinClass(code, 'Bob'),
      joinClass(code, 'Cy'),
    ])
    await ada.page.locator('.waiting').waitFor()
    await expect.poll(() => row(teacher, 'Cy').count()).toBe(1)
    // A fourth does not fit.
    const full = await newPage(900, 600)
    await full.goto(`${server.url}/join/${code}`)
    await full.getByLabel(/Your name/).fill('Dee')
    await full.getByRole('button', { name: 'Join' }).click()
    await full.getByText(/this class is full \(3 seats\)/).waitFor()

    await teacher.getByRole('button', { name: 'Start the class' }).click()
    await Promise.all([ada, bob, cy].map((l) => terminalOpen(l.page)))

    mark('learners at their prompts')
    // Ada solves the lab; the board shows her checks turning green without a reload.
    const lines = solutionLines()
    const greens: number[] = []
    const watchGreens = setInterval(async () => {
      const n = await row(teacher, 'Ada')
        .locator('.check-dot.pass')
        .count()
        .catch(() => -1)
      if (n >= 0 && greens.at(-1) !== n) greens.push(n)
    }, 250)
    for (const line of lines) {
      if (line.startsWith('sleep')) continue
      if (line.includes('snapshot save')) {
        await runCommand(ada.page, line, 60_000)
        await ada.page.locator('.lab-notice').waitFor({ timeout: 30_000 })
      } else await runCommand(ada.page, line, 60_000)
    }
    // The static pod restarts on the restored data; the board follows without anyone pressing Check.
    await expect
      .poll(() => row(teacher, 'Ada').locator('.check-dot.pass').count(), { timeout: 60_000, interval: 500 })
      .toBe(5)
    clearInterval(watchGreens)
    expect(greens[0]).toBeLessThan(5)
    expect(new Set(greens).size).toBeGreaterThan(1) // seen part-green, then all green
    await teacher
      .locator('.board-summary')
      .getByText(/: 1\/3/)
      .first()
      .waitFor()
    await teacher.screenshot({ path: join(SHOTS, 'class-board.png') })

    mark('all checks of Ada green')
    // The instructor mirrors Bob while he types; Bob's page says he is watched.
    await row(teacher, 'Bob').getByRole('button', { name: 'Mirror' }).click()
    await teacher.locator('.mirror .mirror-status', { hasText: 'live' }).waitFor()
    await bob.page.getByText('Your instructor is watching your terminal').waitFor()
    await bob.page.locator('.xterm').first().click()
    await runCommand(bob.page, 'echo mirrored-$((6*7))')
    await waitForTerminal(
      teacher,
      (t) => t.includes('mirrored-42'),
      'the mirror showing Bob typing',
      10_000,
      'mirror',
    )
    // Read-only: the instructor's keys do not reach Bob's shell.
    await teacher.locator('.mirror-term').click()
    await teacher.keyboard.type('echo not-sent')
    await teacher.waitForTimeout(300)
    expect(await terminalText(bob.page)).not.toContain('not-sent')
    // Takeover: announced to Bob, and the instructor's keys arrive.
    await teacher.locator('.mirror input[name="takeover"]').click()
    await bob.page.getByText('Your instructor is typing in your terminal').waitFor()
    await teacher.locator('.mirror-term').click()
    await typeLine(teacher, 'echo typed-by-instructor')
    await waitForTerminal(
      bob.page,
      (t) => t.includes('typed-by-instructor'),
      "the instructor's command in Bob's terminal",
    )
    const bobScreen = (await terminalText(bob.page)).trimEnd().split('\n').slice(-4).join('\n')
    await waitForTerminal(
      teacher,
      // Bob's last lines, each on the mirror too (the prompt's trailing space aside).
      (t) => bobScreen.split('\n').every((l) => l.trim() === '' || t.includes(l.trimEnd())),
      'the same screen',
      15_000,
      'mirror',
    )
    await teacher.screenshot({ path: join(SHOTS, 'class-mirror.png') })
    await teacher.locator('.mirror input[name="takeover"]').click()
    await bob.page.getByText('Your instructor is typing in your terminal').waitFor({ state: 'detached' })
    await teacher.locator('.mirror').getByRole('button', { name: 'Close' }).click()
    await bob.page.getByText('Your instructor is watching your terminal').waitFor({ state: 'detached' })

    mark('mirror and takeover done')
    // Reset Cy's environment (asks first): a fresh cluster, the old screen gone.
    await runCommand(cy.page, 'touch /root/cy-was-here')
    const reset = row(teacher, 'Cy').getByRole('button', { name: 'Reset' })
    await reset.click()
    await row(teacher, 'Cy').getByRole('button', { name: "Reset Cy's cluster?" }).click()
    await expect
      .poll(() => row(teacher, 'Cy').getAttribute('data-state'), { timeout: 10_000 })
      .not.toBe('ready')
    await expect.poll(() => row(teacher, 'Cy').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready')
    await terminalOpen(cy.page)
    const ls = await runCommand(cy.page, 'ls /root/cy-was-here')
    expect(ls).toContain('No such file or directory')

    // Extend Bob's time by five minutes.
    const before = (await api(`/api/classes/${classId}`)).rows
    await row(teacher, 'Bob').getByRole('button', { name: '+5 min' }).click()
    await expect
      .poll(async () => {
        const rows = (await api(`/api/classes/${classId}`)).rows
        const d = (n: string) => rows.find((r: any) => r.name === n).deadline
        return d('Bob') - d('Ada')
      })
      .toBe(5 * 60_000)
    expect(before.every((r: any) => r.deadline === before[0].deadline)).toBe(true)

    // A broadcast reaches every learner.
    await teacher.locator('input[name="broadcast"]').fill('Fifteen minutes left')
    await teacher.getByRole('button', { name: 'Send to all' }).click()
    for (const l of [ada, bob, cy]) await l.page.getByText('To everyone: Fifteen minutes left').waitFor()

    mark('reset, extend, broadcast done')
    // End the class: every attempt is graded and frozen.
    await teacher.getByRole('button', { name: 'End the class' }).click()
    await teacher.getByRole('button', { name: 'Grade and freeze every learner?' }).click()
    await teacher.locator('[data-class-state="ended"]').waitFor({ timeout: 60_000 })
    await expect
      .poll(() => teacher.locator('table.board tr[data-state="ended"]').count(), { timeout: 60_000 })
      .toBe(3)
    for (const l of [ada, bob, cy]) await l.page.getByText('your attempt has ended').waitFor()

    mark('class ended')
    // Exports: CSV, JSON and JUnit, each matching every learner's own report.
    const download = teacher.waitForEvent('download')
    await teacher.getByRole('button', { name: 'CSV' }).click()
    const csvFile = await (await download).path()
    const csv = readFileSync(csvFile!, 'utf8')
    expect(csv).toBe(await api(`/api/classes/${classId}/export.csv`))
    const json = await api(`/api/classes/${classId}/export.json`)
    const xml = await api(`/api/classes/${classId}/export.xml`)
    const header = csv.split('\r\n')[0].split(',')
    expect(header.slice(2, 7).every((h) => h.startsWith(`${LAB}/`))).toBe(true)
    for (const [l, name] of [
      [ada, 'Ada'],
      [bob, 'Bob'],
      [cy, 'Cy'],
    ] as const) {
      const seat = await (await fetch(`${server.url}/api/seats/${encodeURIComponent(l.seatToken)}`)).json()
      const own = await (await fetch(`${server.url}/api/attempts/${seat.attemptToken}/report.json`)).json()
      expect(own.schema).toBe('ckalab.report/v1')
      const learner = json.learners.find((x: any) => x.name === name)
      expect(learner.reports).toEqual([own])
      const line = csv
        .split('\r\n')
        .find((x) => x.startsWith(`${name},`))!
        .split(',')
      for (const check of own.checks) {
        const col = header.indexOf(`${LAB}/${check.id}`)
        expect(Number(line[col])).toBe(check.verdict === 'pass' ? check.points : 0)
      }
      expect(Number(line[header.indexOf('total')])).toBe(own.score.points)
      const suite = xml.split('<testsuite ').find((s: string) => s.startsWith(`name="${name} — ${LAB}"`))
      expect(suite).toBeDefined()
      expect(suite.match(/<testcase /g).length).toBe(own.checks.length)
      expect(suite.match(/<failure /g)?.length ?? 0).toBe(
        own.checks.filter((c: any) => c.verdict === 'fail').length,
      )
    }
    expect(json.learners.find((x: any) => x.name === 'Ada').points).toBe(
      json.learners.find((x: any) => x.name === 'Ada').max,
    )
    for (const text of [csv, JSON.stringify(json), xml]) {
      expect(text).not.toContain(server.instructorKey!)
      for (const l of [ada, bob, cy]) expect(text).not.toContain(l.seatToken)
    }
  })
})
