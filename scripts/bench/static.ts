// The static build in headless Chromium, served by a plain static file
// server: first load to a usable prompt (cold cache, then warm: HTTP cache and
// service worker), lab start to prompt, keystroke echo measured in the page
// (key in → character parsed by xterm), the bundle's gzip size and the
// memory of the tab with one lab (its renderer process, which holds the
// lab's Web Worker). Uses dist/static, or CKALAB_STATIC_DIR, building it if missing.

import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { serveStatic } from '../../test/e2e/static-server'
import { launchBrowser, REPO, waitForTerminal } from '../../test/e2e/support'
import { percentile } from './stats'

const LAB = 'etcd-backup-restore'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Resident memory (MB) of the renderer processes of the Chromium this process launched. */
function rendererRssMb(): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  const info = new Map<number, { ppid: number; cmd: string; rssKb: number }>()
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      info.set(Number(pid), { ppid, cmd, rssKb: rss ? Number(rss[1]) : 0 })
    } catch {
      /* the process ended while being read */
    }
  }
  const mine = new Set<number>()
  for (const [pid, p] of info) if (p.ppid === process.pid && p.cmd.includes('chromium')) mine.add(pid)
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, p] of info)
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid)
        grew = true
      }
  }
  let kb = 0
  for (const pid of mine) {
    const p = info.get(pid)
    if (p?.cmd.includes('--type=renderer')) kb += p.rssKb
  }
  return Math.round(kb / 1024)
}

async function startToPrompt(page: Page): Promise<number> {
  const card = page.locator(`article.card[data-lab="${LAB}"]`)
  await card.waitFor({ timeout: 60_000 })
  const t0 = performance.now()
  await card.getByRole('button', { name: 'Practice' }).click()
  await page
    .locator('.terminal-pane[data-node="controlplane"][data-status="open"]')
    .waitFor({ timeout: 120_000 })
  await waitForTerminal(page, (t) => /root@controlplane:~# ?$/m.test(t), 'the prompt', 60_000)
  return performance.now() - t0
}

/** Keystroke echo inside the page: a digit into xterm's input, until xterm has parsed it back. */
async function echoInPage(page: Page, rounds: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const term = window.__ckalabTerminals.controlplane
    const row = () => term.buffer.active.getLine(term.buffer.active.cursorY + term.buffer.active.baseY).translateToString(true)
    const samples = []
    for (let i = 0; i < ${rounds}; i++) {
      const digit = String((i % 9) + 1)
      const before = row()
      const t0 = performance.now()
      await new Promise((resolve) => {
        const off = term.onWriteParsed(() => {
          if (row().length > before.length) { off.dispose(); resolve() }
        })
        term.input(digit, true)
        setTimeout(() => { off.dispose(); resolve() }, 2000)
      })
      samples.push(performance.now() - t0)
      await new Promise((resolve) => {
        const off = term.onWriteParsed(() => { if (row().length <= before.length) { off.dispose(); resolve() } })
        term.input('\\x7f', true)
        setTimeout(() => { off.dispose(); resolve() }, 2000)
      })
      await new Promise((r) => setTimeout(r, 5))
    }
    return samples
  })()`) as Promise<number[]>
}

export async function benchStatic(): Promise<Record<string, number>> {
  const dir = process.env.CKALAB_STATIC_DIR ?? join(REPO, 'dist/static')
  if (!existsSync(join(dir, 'index.html')))
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/build-static.ts'), '--out', dir], {
      cwd: REPO,
      stdio: 'inherit',
    })
  const result: Record<string, number> = {}
  let gzip = 0
  let raw = 0
  for (const f of filesUnder(dir)) {
    const bytes = readFileSync(f)
    raw += bytes.length
    gzip += gzipSync(bytes).length
  }
  result.staticBundleMb = Number((raw / 1024 / 1024).toFixed(2))
  result.staticBundleGzipMb = Number((gzip / 1024 / 1024).toFixed(2))

  const server = await serveStatic(dir)
  const browser = await launchBrowser()
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    // Cold: an empty cache, no service worker yet.
    const cold = await context.newPage()
    let t0 = performance.now()
    await cold.goto(server.url)
    await cold.locator('article.card').first().waitFor({ timeout: 60_000 })
    result.coldLoadToCatalogueMs = Math.round(performance.now() - t0)
    result.coldLoadToPromptMs = Math.round(performance.now() - t0 + (await startToPrompt(cold)))
    result.tabRendererMb = rendererRssMb()
    result.tabJsHeapMb = Math.round(
      ((await cold.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0')) as number) /
        1024 /
        1024,
    )
    const echo = await echoInPage(cold, 200)
    result.pageEchoP50Ms = Number(percentile(echo, 50).toFixed(2))
    result.pageEchoP99Ms = Number(percentile(echo, 99).toFixed(2))
    await cold.close()

    // Warm: the same browser profile, files from the HTTP cache / service worker.
    const warm = await context.newPage()
    t0 = performance.now()
    await warm.goto(server.url)
    await warm.locator('article.card').first().waitFor({ timeout: 60_000 })
    result.warmLoadToCatalogueMs = Math.round(performance.now() - t0)
    result.warmLoadToPromptMs = Math.round(performance.now() - t0 + (await startToPrompt(warm)))

    // Lab start → prompt, warm (a loaded page, a warm spare worker): after the page
    // says its spare is ready (a build without that hook gets 5 s, as a learner reading the catalogue).
    const starts: number[] = []
    for (let i = 0; i < 5; i++) {
      await warm.goto(server.url)
      await warm.locator('article.card').first().waitFor({ timeout: 60_000 })
      await warm.evaluate(`(window.__ckalabWarm
        ? Promise.race([window.__ckalabWarm(), new Promise((r) => setTimeout(r, 30000))])
        : new Promise((r) => setTimeout(r, 5000)))`)
      starts.push(await startToPrompt(warm))
    }
    result.labStartToPromptP50Ms = Math.round(percentile(starts, 50))
    await context.close()
  } finally {
    await browser.close()
    await server.close()
  }
  return result
}
