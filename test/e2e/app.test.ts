// The built web app in a real browser, on the server's fake driver: the
// catalogue, starting a lab, the terminal, "Check my work", and a SIGKILL of
// the server in the middle of the lab.

import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, resultsDir, terminalText, typeLine, waitForTerminal } from './support'

const suite = browserSuite('fake')
const haveChromium = suite.available

async function startFromCatalogue(page: Page, mode: 'Practice' | 'Exam'): Promise<void> {
  await page.goto(suite.server.url)
  const card = page.locator('article.card[data-lab="fake-lab"]')
  await card.waitFor()
  await card.getByRole('button', { name: mode }).click()
  await page.waitForURL(/\/attempt\//)
  await page
    .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
    .waitFor({ timeout: 20_000 })
  await waitForTerminal(page, (t) => t.includes('root@controlplane:~#'), 'the prompt')
}

describe.skipIf(!haveChromium)('web app (fake driver)', () => {
  it('shows the catalogue with difficulty, minutes, tags and drivers', async () => {
    const page = await suite.browser.newPage()
    await page.goto(suite.server.url)
    const card = page.locator('article.card[data-lab="fake-lab"]')
    await card.waitFor()
    const text = (await card.textContent()) ?? ''
    expect(text).toContain('Leave a marker file')
    expect(text).toMatch(/easy/i)
    expect(text).toContain('5 min')
    expect(text).toContain('etcd')
    expect(text).toContain('fake')
    await page.close()
  })

  it('starts a lab, types into the terminal and checks the work', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 850 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await startFromCatalogue(page, 'Practice')
    expect((await terminalText(page)).split('root@controlplane:~#').length - 1).toBe(1)
    // Focus lands in the terminal: typing without clicking reaches the shell.
    await typeLine(page, 'echo typed-in-the-browser')
    await waitForTerminal(page, (t) => /^typed-in-the-browser$/m.test(t), 'the echo')

    await page.getByRole('button', { name: 'Check my work' }).click()
    const failing = page.locator('.check[data-check="marker-exists"][data-verdict="fail"]')
    await failing.waitFor()
    expect((await failing.textContent()) ?? '').toContain('Create it with touch.')

    await page.locator('.xterm').click()
    await typeLine(page, 'touch /root/done')
    await waitForTerminal(
      page,
      (t) => /touch \/root\/done\n.*# $/m.test(t.trimEnd() + ' '),
      'the next prompt',
    )
    await page.getByRole('button', { name: 'Check my work' }).click()
    await page.locator('.check[data-check="marker-exists"][data-verdict="pass"]').waitFor()
    await page.screenshot({ path: join(resultsDir(), 'lab-page-graded.png') })

    // Hints one by one, then the reference solution.
    await page.getByRole('button', { name: /Show a hint/ }).click()
    await page.getByText('The touch command creates an empty file.').waitFor()
    await page.getByRole('button', { name: /Show a hint/ }).click()
    await page.getByRole('button', { name: 'Show the reference solution' }).click()
    await page.locator('.solution code').waitFor()

    // Copy buttons on code blocks exist in the task text.
    expect(await page.locator('.task .code-block button[data-copy]').count()).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await page.close()
  })

  it('survives a SIGKILL of the server mid-lab: screen and files come back', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 850 } })
    await startFromCatalogue(page, 'Practice')
    await typeLine(page, 'echo kept-across-kill > /root/note')
    await typeLine(page, 'echo screen-before-kill')
    await waitForTerminal(page, (t) => /^screen-before-kill$/m.test(t), 'the echo')
    await page.screenshot({ path: join(resultsDir(), 'lab-page.png') })
    // Saves are debounced by a few hundred ms; a person types slower than that.
    await page.waitForTimeout(1500)
    await suite.server.kill('SIGKILL')
    await page.locator('.terminal-pane[data-status="reconnecting"]').waitFor({ timeout: 10_000 })
    await suite.server.start()
    await page.reload()
    await page
      .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
      .waitFor({ timeout: 20_000 })
    const text = await waitForTerminal(page, (t) => t.includes('screen-before-kill'), 'the replayed screen')
    expect(text).toContain('echo kept-across-kill > /root/note')
    await page.locator('.xterm').click()
    await typeLine(page, 'cat /root/note')
    await waitForTerminal(page, (t) => /^kept-across-kill$/m.test(t), 'the file content')
    expect(await terminalText(page)).not.toContain('No such file')
    await page.close()
  })

  it('runs an exam: countdown, no hints, submit gives the final report', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 850 } })
    await startFromCatalogue(page, 'Exam')
    expect((await page.locator('.timer.countdown').textContent()) ?? '').toMatch(/\d+:\d\d/)
    expect(await page.getByRole('button', { name: /Show a hint/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Check my work' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Submit' }).click()
    await page.getByRole('button', { name: 'Submit now?' }).click()
    await page.locator('.report').waitFor()
    expect((await page.locator('.report h2').textContent()) ?? '').toContain('Final report')
    await page.screenshot({ path: join(resultsDir(), 'exam-final-report.png') })
    await page.close()
  })
})
