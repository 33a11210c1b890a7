// The learner's page in a real browser at a wide and a narrow window: the
// header and the terminal stay inside the window after the lab's notice, with
// every hint open and with vim on screen; keys typed while the terminal
// reconnects arrive; an exam Reset keeps the deadline and the final report
// shows the time used; the catalogue shows a passed badge after a pass.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
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

const haveChromium = chromiumAvailable()
let browser: Browser
let sim: ServerProcess
let fake: ServerProcess

beforeAll(async () => {
  if (!haveChromium) return
  buildWeb()
  sim = new ServerProcess('sim')
  fake = new ServerProcess('fake')
  await Promise.all([sim.start(), fake.start()])
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await sim?.dispose()
  await fake?.dispose()
})

const LAB = 'etcd-backup-restore'

function snapshotLine(): string {
  const line = readFileSync(join(REPO, 'labs', LAB, 'solution.sh'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.includes('snapshot save'))
  if (!line) throw new Error('the reference solution has no snapshot save line')
  return line
}

async function start(page: Page, url: string, lab: string, mode: 'Practice' | 'Exam'): Promise<void> {
  await page.goto(url)
  const card = page.locator(`article.card[data-lab="${lab}"]`)
  await card.waitFor()
  await card.getByRole('button', { name: `${mode}: ` }).click()
  await page.waitForURL(/\/attempt\//)
  await page
    .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
    .waitFor({ timeout: 120_000 })
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 30_000)
}

/** Where the terminal's cursor row is on the page, from xterm's own geometry. */
async function cursorRow(page: Page): Promise<{ top: number; bottom: number }> {
  return page.evaluate(() => {
    const term = window.__ckalabTerminals?.controlplane
    const screen = document.querySelector('.terminal-pane:not([hidden]) .xterm-screen')
    if (!term || !screen) throw new Error('no terminal on the page')
    const r = screen.getBoundingClientRect()
    const rowHeight = r.height / term.rows
    const y = term.buffer.active.cursorY
    return { top: r.top + y * rowHeight, bottom: r.top + (y + 1) * rowHeight }
  })
}

async function expectInView(page: Page, what: string, box: { top: number; bottom: number }) {
  const height = page.viewportSize()?.height ?? 0
  expect(box.top, `${what} starts inside the window`).toBeGreaterThanOrEqual(0)
  expect(box.bottom, `${what} ends inside the window`).toBeLessThanOrEqual(height)
}

async function expectHeaderVisible(page: Page, buttons: string[]) {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 }
  for (const name of buttons) {
    const box = await page.locator('.attempt-bar').getByRole('button', { name, exact: true }).boundingBox()
    expect(box, `${name} is on the page`).not.toBeNull()
    if (!box) continue
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y + box.height).toBeLessThanOrEqual(height)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(width)
  }
}

describe.skipIf(!haveChromium)('the attempt page layout', () => {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 800, height: 900 },
  ]) {
    it(`keeps the header, the prompt and vim's cursor in a ${viewport.width}×${viewport.height} window`, async () => {
      const page = await browser.newPage({ viewport })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await start(page, sim.url, LAB, 'Practice')
      const header = ['Check my work', 'Reset', 'Stop']
      await expectHeaderVisible(page, header)

      await runCommand(page, snapshotLine(), 60_000)
      await page.locator('.lab-notice').waitFor({ timeout: 30_000 })
      // Every hint open, then the reference solution: the task pane grows, the page does not.
      for (let i = 0; i < 20; i++) {
        const more = page.getByRole('button', { name: /Show a hint/ })
        if ((await more.count()) === 0) break
        await more.click()
        await page.waitForTimeout(100)
      }
      await page.getByRole('button', { name: 'Show the reference solution' }).click()
      await page.locator('.solution').waitFor()
      await page.locator('.xterm').click()
      await page.waitForTimeout(300)
      await expectInView(page, 'the prompt row', await cursorRow(page))
      await expectHeaderVisible(page, header)

      await typeLine(page, 'vim /etc/kubernetes/manifests/etcd.yaml')
      await waitForTerminal(page, (t) => t.includes('apiVersion'), 'vim showing etcd.yaml')
      await page.keyboard.type('G', { delay: 5 })
      await page.waitForTimeout(300)
      await expectInView(page, "vim's cursor row", await cursorRow(page))
      const screen = await page.locator('.terminal-pane:not([hidden]) .xterm-screen').boundingBox()
      expect(screen).not.toBeNull()
      if (screen)
        await expectInView(page, 'the whole terminal', { top: screen.y, bottom: screen.y + screen.height })
      await expectHeaderVisible(page, header)
      // The page itself never scrolls: the panes do.
      const scroll = await page.evaluate(() => document.documentElement.scrollHeight)
      expect(scroll).toBeLessThanOrEqual(viewport.height)
      // A terminal wide enough to work in.
      const cols = await page.evaluate(() => window.__ckalabTerminals?.controlplane?.cols ?? 0)
      expect(cols).toBeGreaterThanOrEqual(80)
      await page.screenshot({ path: join(REPO, 'docs', `lab-page-${viewport.width}.png`) })

      await page.keyboard.type(':q', { delay: 5 })
      await page.keyboard.press('Enter')
      await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t.trimEnd()), 'the prompt after vim')
      await expectInView(page, 'the prompt row after vim', await cursorRow(page))
      expect(errors).toEqual([])
      await page.close()
    })
  }
})

describe.skipIf(!haveChromium)('the attempt page on the fake driver', () => {
  it('sends keys typed while the terminal reconnects', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await start(page, fake.url, 'fake-lab', 'Practice')
    await page.waitForTimeout(1200) // the screen is saved a moment after output
    await fake.kill('SIGKILL')
    await page.locator('.terminal-pane[data-status="reconnecting"]').waitFor({ timeout: 10_000 })
    await page.locator('.xterm').click()
    await typeLine(page, 'echo typed-while-down')
    await page.locator('.terminal-status .queued').waitFor()
    await fake.start()
    await page
      .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
      .waitFor({ timeout: 20_000 })
    await waitForTerminal(page, (t) => /^typed-while-down$/m.test(t), 'the echo of the queued line')
    expect(await terminalText(page)).toContain('echo typed-while-down')
    await page.close()
  })

  it('keeps the exam deadline through a Reset and reports the time used', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await start(page, fake.url, 'fake-lab', 'Exam')
    const token = page.url().split('/attempt/')[1]
    const before = await (await page.request.get(`${fake.url}/api/attempts/${token}`)).json()
    await page.waitForTimeout(2500)
    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await page.getByRole('button', { name: /Reset\? The clock keeps running/ }).click()
    await page
      .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
      .waitFor({ timeout: 20_000 })
    // The old pane can still read "open" until the page's next poll; the new try is the one with a later readyAt.
    let after = await (await page.request.get(`${fake.url}/api/attempts/${token}`)).json()
    for (let i = 0; i < 100 && !(after.state === 'ready' && after.readyAt > before.readyAt); i++) {
      await page.waitForTimeout(100)
      after = await (await page.request.get(`${fake.url}/api/attempts/${token}`)).json()
    }
    expect(after.readyAt).toBeGreaterThan(before.readyAt)
    expect(after.deadline).toBe(before.deadline)
    expect(after.discarded).toHaveLength(1)
    // The countdown did not go back to the full 10:00.
    const shown = (await page.locator('.timer.countdown').textContent()) ?? ''
    expect(shown).toMatch(/Time left 9:5\d/)
    await page.getByRole('button', { name: 'Submit' }).click()
    await page.getByRole('button', { name: 'Submit now?' }).click()
    await page.locator('.report').waitFor()
    const used = (await page.getByTestId('time-used').textContent()) ?? ''
    expect(used).toMatch(/^0:0\d$/)
    expect(used).not.toBe('0:00')
    expect((await page.locator('.time-used').textContent()) ?? '').toContain('1 earlier try was reset')
    expect(await page.getByRole('button', { name: 'Retry this exam' }).count()).toBe(1)
    await page.close()
  })

  it('shows a passed badge on the catalogue after a passing attempt', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(fake.url)
    await page.locator('article.card[data-lab="fake-lab"]').waitFor()
    expect(await page.locator('article.card[data-lab="fake-lab"] .badge.passed').count()).toBe(0)
    await start(page, fake.url, 'fake-lab', 'Practice')
    await runCommand(page, 'touch /root/done')
    await page.getByRole('button', { name: 'Check my work' }).click()
    await page.locator('.report[data-verdict="pass"]').waitFor()
    await page.locator('.attempt-bar').getByRole('button', { name: 'Labs' }).click()
    const badge = page.locator('article.card[data-lab="fake-lab"] .badge.passed')
    await badge.waitFor()
    expect(await badge.textContent()).toContain('Passed')
    expect(await page.title()).toBe('Labs · ckalab')
    // Focus moved to the new page's heading.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    await page.close()
  })
})
