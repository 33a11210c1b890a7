// Job control in the browser terminal on the simulator: a job put in the
// background with & keeps printing while the learner runs the next command;
// Ctrl-Z stops a follower, `jobs` lists it, `fg` brings it back and Ctrl-C
// ends it (bash 5.2's lines, test/shell/job-control-captures.md).

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, terminalText, typeLine, waitForTerminal } from './support'

const LAB = 'etcd-backup-restore'
const suite = browserSuite('sim')
const haveChromium = suite.available

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

describe.skipIf(!haveChromium)('job control in the browser terminal (simulator)', () => {
  it('a background job keeps printing while the next command runs', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 850 } })
    await startLab(page)
    await typeLine(page, '(for i in 1 2 3 4 5 6; do echo tick-$i; sleep 1; done) &')
    await waitForTerminal(page, (t) => /^\[1\] \d+$/m.test(t), 'the job number and pid')
    // The next command is typed while the job runs: it is run, not swallowed.
    await typeLine(page, 'echo foreground-ran; sleep 2; echo foreground-done')
    const text = await waitForTerminal(page, (t) => t.includes('tick-6'), 'the last tick', 30_000)
    const lines = text.split('\n')
    const ran = lines.indexOf('foreground-ran')
    const done = lines.indexOf('foreground-done')
    expect(ran).toBeGreaterThan(0)
    expect(done).toBeGreaterThan(ran)
    // At least one tick arrived while the foreground command was running: the two interleave.
    const between = lines.slice(ran + 1, done).filter((l) => /tick-\d$/.test(l))
    expect(between.length).toBeGreaterThanOrEqual(1)
    // bash reports the finished job before a later prompt.
    await page.waitForTimeout(1500)
    await typeLine(page, '')
    await waitForTerminal(
      page,
      (t) =>
        t.includes('[1]+  Done                    (for i in 1 2 3 4 5 6; do echo tick-$i; sleep 1; done)'),
      'the Done notice',
    )
    expect(await terminalText(page)).toContain('tick-1')
    await page.close()
  }, 300_000)

  it('Ctrl-Z stops kubectl get pods -w, jobs lists it, fg resumes it and Ctrl-C ends it', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1400, height: 850 } })
    await startLab(page)
    const watch = 'kubectl get pods -n kube-system -w'
    await typeLine(page, watch)
    await waitForTerminal(page, (t) => /^etcd-controlplane +1\/1 +Running/m.test(t), 'the etcd pod line')
    await page.keyboard.press('Control+z')
    await waitForTerminal(
      page,
      (t) => t.includes(`^Z\n[1]+  Stopped                 ${watch}\nroot@controlplane:~# `),
      'the Stopped line and the prompt',
    )
    await typeLine(page, 'echo $?')
    await waitForTerminal(page, (t) => /echo \$\?\n148\n/.test(t), 'status 148')
    await typeLine(page, 'jobs')
    await waitForTerminal(
      page,
      (t) => t.includes(`jobs\n[1]+  Stopped                 ${watch}\n`),
      'the jobs line',
    )
    await typeLine(page, 'fg')
    await waitForTerminal(page, (t) => t.includes(`# fg\n${watch}`), 'fg naming the job')
    await page.keyboard.press('Control+c')
    await waitForTerminal(
      page,
      (t) => /\^C\nroot@controlplane:~#$/.test(t.trimEnd()),
      'the prompt after Ctrl-C',
    )
    await typeLine(page, 'echo $?; jobs')
    const text = await waitForTerminal(page, (t) => /echo \$\?; jobs\n130\n/.test(t), 'status 130')
    expect(text).not.toMatch(/jobs\n130\n\[1\]/)
    await page.close()
  }, 300_000)
})
