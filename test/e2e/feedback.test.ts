// The learner's page under feedback and bad input, in a real browser: each
// check shows live while grading runs (and what a waiting check waits for),
// the catalogue keeps the history of graded tries, a huge paste arrives whole,
// and tiny windows neither freeze the page nor break the terminal.

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

async function start(page: Page, url: string, lab: string): Promise<void> {
  await page.goto(url)
  const card = page.locator(`article.card[data-lab="${lab}"]`)
  await card.waitFor()
  await card.getByRole('button', { name: 'Practice: ' }).click()
  await page.waitForURL(/\/attempt\//)
  await page
    .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
    .waitFor({ timeout: 120_000 })
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 30_000)
}

describe.skipIf(!haveChromium)('feedback while grading', () => {
  it('shows each check live with what it waits for, then the report and the history', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await start(page, fake.url, 'fake-lab')
    // The fake lab's check waits up to 3 s for /root/done when /root/slow says so.
    await runCommand(page, 'echo 3 > /root/slow')
    await page.getByRole('button', { name: 'Check my work' }).click()
    const running = page.locator('.report.grading li[data-check="marker-exists"][data-state="running"]')
    await running.waitFor({ timeout: 5000 })
    const waiting = running.getByTestId('waiting')
    await waiting.waitFor({ timeout: 5000 })
    expect(await waiting.textContent()).toMatch(/^waiting for \/root\/done to appear \(\d s of 3 s\)$/)
    await page.locator('.report.grading').screenshot({ path: join(REPO, 'docs', 'lab-grading-live.png') })
    expect(await page.getByRole('button', { name: 'Checking…' }).count()).toBe(1)
    // The verdict replaces the live list.
    await page.locator('.report[data-verdict="fail"]').waitFor({ timeout: 10_000 })
    expect(await page.locator('.report.grading').count()).toBe(0)

    await page.locator('.attempt-bar').getByRole('button', { name: 'Labs' }).click()
    const card = page.locator('article.card[data-lab="fake-lab"]')
    await card.locator('.history').waitFor()
    await card.locator('.history summary').click()
    const row = card.locator('.history tbody tr').first()
    expect(await row.locator('td').nth(2).textContent()).toBe('0/10')
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^\d+:\d\d$/)
    expect(await row.getByRole('link', { name: 'open' }).count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe.skipIf(!haveChromium)('bad input on the attempt page', () => {
  it('takes a huge paste whole and survives tiny windows', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await start(page, sim.url, 'etcd-backup-restore')

    // 2000 lines, 200 000 bytes, pasted at once into a heredoc.
    const lines = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(6, '0')} ${'x'.repeat(92)}`)
    const body = `${lines.join('\n')}\n`
    const pasted = Date.now()
    await page.evaluate(
      (text) => window.__ckalabTerminals?.controlplane?.paste(text),
      `cat > /root/pasted.txt <<'EOF'\n${body}EOF\n`,
    )
    // The shell shows each line after its heredoc prompt ("> "), then the prompt again.
    await waitForTerminal(
      page,
      (t) => /^> 001999 x+\n> EOF\nroot@controlplane:~# ?$/m.test(t.trimEnd()),
      'the end of the paste and the prompt',
      120_000,
    )
    const pasteMs = Date.now() - pasted
    const out = await runCommand(page, 'wc -c /root/pasted.txt; tail -n 1 /root/pasted.txt', 60_000)
    expect(out).toMatch(new RegExp(`^${body.length} /root/pasted.txt$`, 'm'))
    expect(out).toContain(lines[lines.length - 1])
    console.log(`a ${body.length}-byte paste reached the shell in ${pasteMs} ms`)

    // Tiny windows, one after the other, then back: the page answers and the terminal fits again.
    for (const size of [
      { width: 320, height: 240 },
      { width: 120, height: 90 },
      { width: 40, height: 40 },
      { width: 800, height: 200 },
    ]) {
      await page.setViewportSize(size)
      await page.waitForTimeout(150)
      const alive = await page.evaluate(() => document.querySelector('.attempt-bar') !== null)
      expect(alive).toBe(true)
    }
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.waitForTimeout(400)
    const cols = await page.evaluate(() => window.__ckalabTerminals?.controlplane?.cols ?? 0)
    expect(cols).toBeGreaterThanOrEqual(80)
    await page.locator('.xterm').click()
    await runCommand(page, 'echo still-here-after-resizing')
    expect(await terminalText(page)).toMatch(/^still-here-after-resizing$/m)
    const button = await page.getByRole('button', { name: 'Check my work' }).boundingBox()
    expect(button && button.y >= 0 && button.y + button.height <= 900).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })
})
