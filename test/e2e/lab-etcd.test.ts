// The whole etcd-backup-restore lab in a real browser on the simulator:
// the reference solution typed into the xterm terminal (the manifest edited
// in vim), every check passing; a wrong answer failing the right check with
// its hint; and the server SIGKILLed mid-lab coming back with screen and files.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  browserSuite,
  REPO,
  resultsDir,
  runCommand,
  terminalText,
  typeLine,
  waitForTerminal,
} from './support'

const LAB = 'etcd-backup-restore'
const suite = browserSuite('sim')
const haveChromium = suite.available

function solutionLines(): string[] {
  return readFileSync(join(REPO, 'labs', LAB, 'solution.sh'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

async function startLab(page: Page): Promise<void> {
  await page.goto(suite.server.url)
  const card = page.locator(`article.card[data-lab="${LAB}"]`)
  await card.waitFor()
  await card.getByRole('button', { name: 'Practice' }).click()
  await page.waitForURL(/\/attempt\//)
  const open = page.locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
  const failed = page.locator('.failed')
  await open.or(failed).first().waitFor({ timeout: 180_000 })
  if (await failed.isVisible()) throw new Error(`the lab could not be created: ${await failed.textContent()}`)
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 30_000)
}

/** The sed edit of the reference solution, done the way a person would: in vim. */
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

async function backUp(page: Page, lines: string[]): Promise<void> {
  const save = lines.find((l) => l.includes('snapshot save'))!
  await runCommand(page, save, 60_000)
  // The lab's trigger answers the backup with a change the restore must undo.
  await page.locator('.lab-notice').waitFor({ timeout: 30_000 })
}

describe.skipIf(!haveChromium)(`${LAB} in the browser (simulator)`, () => {
  it('passes every check with the reference solution typed in, manifest edited in vim', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1500, height: 900 } })
    await startLab(page)
    await page.screenshot({ path: join(resultsDir(), 'etcd-lab-page.png') })
    const lines = solutionLines()
    for (const line of lines) {
      if (line.includes('snapshot save')) await backUp(page, lines)
      else if (line.startsWith('sed -i')) await editManifestInVim(page)
      else await runCommand(page, line, line.startsWith('sleep') ? 90_000 : 60_000)
    }
    const after = await terminalText(page)
    expect(after.split('kubectl get deploy').pop()).toContain('web-frontend')
    expect(after.split('kubectl get deploy').pop()).not.toContain('audit-logger')

    await page.getByRole('button', { name: 'Check my work' }).click()
    const report = page.locator('.report')
    await report.waitFor({ timeout: 60_000 })
    await page.screenshot({ path: join(resultsDir(), 'etcd-report-pass.png') })
    const failing = await page.locator('.check:not([data-verdict="pass"])').allInnerTexts()
    expect(failing).toEqual([])
    expect(await report.getAttribute('data-verdict')).toBe('pass')
    await page.close()
  })

  it('shows the failing check and its hint for a wrong answer (restored, manifest not changed)', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1500, height: 900 } })
    await startLab(page)
    const lines = solutionLines()
    await backUp(page, lines)
    await runCommand(page, lines.find((l) => l.includes('snapshot restore'))!, 60_000)
    await page.getByRole('button', { name: 'Check my work' }).click()
    const check = page.locator('.check[data-check="etcd-uses-restored-data"]')
    await check.waitFor({ timeout: 60_000 })
    expect(await check.getAttribute('data-verdict')).toBe('fail')
    expect(((await check.locator('.hint').textContent()) ?? '').length).toBeGreaterThan(10)
    expect(await page.locator('.check[data-check="snapshot-saved"]').getAttribute('data-verdict')).toBe(
      'pass',
    )
    await page.screenshot({ path: join(resultsDir(), 'etcd-report-wrong-answer.png') })
    await page.close()
  })

  it('comes back after a SIGKILL mid-lab with the screen and the snapshot file', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1500, height: 900 } })
    await startLab(page)
    await backUp(page, solutionLines())
    await runCommand(page, 'ls -l /opt/backup/')
    await page.waitForTimeout(2000)
    await suite.server.kill('SIGKILL')
    await suite.server.start()
    await page.reload()
    await page
      .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
      .waitFor({ timeout: 60_000 })
    await waitForTerminal(page, (t) => t.includes('ls -l /opt/backup/'), 'the replayed screen')
    await page.locator('.xterm').click()
    const text = await runCommand(page, 'etcdutl snapshot status /opt/backup/etcd-snapshot.db -w table')
    expect(text.split('snapshot status').pop()).toMatch(/HASH|REVISION/i)
    await page.close()
  })
})
