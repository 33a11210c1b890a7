import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildWeb,
  chromiumAvailable,
  launchBrowser,
  resultsDir,
  runCommand,
  waitForTerminal,
} from '../e2e/support'
import {
  containersOf,
  ensureDocker,
  ensureRealKind,
  IN_CI,
  kindClusters,
  ROOT,
  removeCluster,
} from './harness'

// The browser on a real node: `ckalab serve --driver kind --kubernetes 1.20`
// (the real kind CLI makes the cluster, a real 1.20 control plane), the etcd lab started from the catalogue in Chromium, kind's steps
// shown while the cluster is made, `kubectl get pods -n kube-system` typed into
// the node's xterm, UTF-8 both ways, then the node killed mid-lab: the page
// marks the attempt broken with a reset button, and no container of the
// cluster is left behind.

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`browser-on-a-real-node suite: ${docker.why}`)
const haveChromium = chromiumAvailable()
const run = docker.ok && haveChromium ? describe : describe.skip

/** Only this suite's clusters: the server's reaper and this file's cleanup never touch others. */
const PREFIX = 'ckalab-b'
const LAB = 'etcd-backup-restore'

/** `ckalab serve` itself, as a person starts it, pointed at the real kind CLI and node image by the environment. */
class Serve {
  url = ''
  log = ''
  readonly dataDir = mkdtempSync(join(tmpdir(), 'ckalab-browser-kind-'))
  private child: ChildProcess | undefined

  async start(env: Record<string, string>): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/ckalab.mjs'),
        'serve',
        '--driver',
        'kind',
        '--kubernetes',
        '1.20',
        '--port',
        '0',
        '--data-dir',
        this.dataDir,
      ],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    this.child = child
    child.stderr?.on('data', (d) => {
      this.log += d.toString()
    })
    this.url = await new Promise<string>((resolve, reject) => {
      let out = ''
      const timer = setTimeout(
        () => reject(new Error(`ckalab serve did not start in 60 s:\n${this.log}`)),
        60_000,
      )
      child.stdout?.on('data', (d) => {
        out += d.toString()
        const m = /ckalab is running: open (http:\/\/\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          // the server listens on 127.0.0.1 only; "localhost" may resolve to ::1 first
          resolve(m[1]!.replace('localhost', '127.0.0.1'))
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`ckalab serve exited with ${code}:\n${this.log}`))
      })
    })
  }

  async stop(): Promise<void> {
    writeFileSync(join(resultsDir(), 'kind-node-serve.log'), this.log)
    const child = this.child
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000)
        child.once('exit', () => {
          clearTimeout(t)
          resolve()
        })
        child.kill('SIGTERM')
      })
    }
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/** Clusters named with this suite's prefix whose containers were made after `since` (ms). */
function ourClustersSince(since: number): string[] {
  return kindClusters()
    .filter((c) => c.name.startsWith(PREFIX) && c.createdMs >= since - 5_000)
    .map((c) => c.name)
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  f: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await f()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

run('a terminal on a real kind node, in the browser', () => {
  const server = new Serve()
  let browser: Browser | undefined
  let page: Page | undefined
  const started = Date.now()
  let cluster = ''

  beforeAll(async () => {
    const kind = ensureRealKind()
    buildWeb()
    await server.start({
      CKALAB_KIND_PATH: kind.path,
      CKALAB_KIND_NODE_IMAGE: `1.20=${kind.nodeImage}`,
      CKALAB_KIND_PREFIX: PREFIX,
    })
    browser = await launchBrowser()
  }, 600_000)

  afterAll(async () => {
    if (page) await page.screenshot({ path: join(resultsDir(), 'kind-node-last.png') }).catch(() => {})
    await browser?.close()
    await server.stop()
    // SIGTERM keeps a kind cluster for the next start; this suite wants none left.
    for (const name of new Set([cluster, ...ourClustersSince(started)].filter(Boolean))) removeCluster(name)
  }, 120_000)

  it('creates the cluster with progress, answers kubectl and UTF-8, and shows a dead node as a broken lab with no container left', async () => {
    page = await browser!.newPage({ viewport: { width: 1500, height: 900 } })
    page.on('pageerror', (e) => {
      server.log += `\n[page error] ${e.message}`
    })
    await page.goto(server.url)
    const card = page.locator(`article.card[data-lab="${LAB}"]`)
    await card.waitFor()
    await card.getByRole('button', { name: 'Practice' }).click()
    await page.waitForURL(/\/attempt\//)
    // the attempt says which driver runs it
    await page.locator('.attempt-bar .badge', { hasText: /^kind$/ }).waitFor({ timeout: 10_000 })

    // While kind works, the page shows its steps and a progress bar that moves.
    const steps = new Set<string>()
    const values = new Set<string>()
    const pane = page.locator('.terminal-pane[data-status="open"]')
    const failed = page.locator('.failed')
    const t0 = Date.now()
    await poll('the terminal of the new cluster', 300_000, async () => {
      const creating = page!.locator('.creating')
      if (await creating.isVisible().catch(() => false)) {
        const text = (await creating.textContent().catch(() => '')) ?? ''
        steps.add(text.replace(/^Creating the environment…\s*/, '').trim())
        values.add((await creating.locator('[role="progressbar"]').getAttribute('aria-valuenow')) ?? '')
      }
      if (await failed.isVisible().catch(() => false))
        throw new Error(`the lab could not be created: ${await failed.textContent()}\n${server.log}`)
      return (await pane.count()) > 0 ? true : undefined
    })
    const createdIn = (Date.now() - t0) / 1000
    const mark = (what: string) => console.info(`${what} at ${((Date.now() - t0) / 1000).toFixed(0)} s`)
    console.info(
      `cluster ready in the browser after ${createdIn.toFixed(0)} s; steps seen: ${[...steps].join(' | ')}`,
    )
    expect([...steps].some((s) => /Starting control-plane/.test(s))).toBe(true)
    expect([...steps].some((s) => /Preparing nodes|Ensuring node image|Writing configuration/.test(s))).toBe(
      true,
    )
    expect(values.size).toBeGreaterThan(2)

    // The node's own terminal: kind's node name, a root prompt on it.
    const node = (await pane.first().getAttribute('data-node')) ?? ''
    expect(node).toMatch(new RegExp(`^${PREFIX}[0-9a-f]+-control-plane$`))
    cluster = node.replace(/-control-plane$/, '')
    expect(containersOf(cluster)).toEqual([node])
    const prompt = new RegExp(`root@${node}:[^\\n]*# ?$`, 'm')
    await waitForTerminal(page, (t) => prompt.test(t), 'the prompt of the node', 30_000, node)
    mark('prompt shown')
    await page.locator('.xterm').click()

    // The real control plane answers through the browser terminal.
    let tries = 0
    // kubelet 1.20 reports etcd `1/1` only once its startup probe passed: up to ~2 min after kind is done here
    const pods = await poll('etcd and kube-apiserver Running in kubectl get pods', 240_000, async () => {
      tries++
      const text = await runCommand(page!, 'kubectl get pods -n kube-system', 60_000, node)
      const out = text.split('kubectl get pods -n kube-system').pop() ?? ''
      const running = (pod: string) => new RegExp(`^${pod}-${node}\\s+1/1\\s+Running`, 'm').test(out)
      return running('etcd') && running('kube-apiserver') ? out : undefined
    })
    mark(`etcd and kube-apiserver Running (kubectl typed ${tries}×)`)
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m)

    // Non-ASCII typed in the browser reaches the node's shell and comes back intact.
    const echoed = await runCommand(page, 'echo grüße', 30_000, node)
    expect(echoed.split('echo grüße').pop()).toMatch(/^grüße$/m)
    // and the shell got UTF-8 bytes (ü = c3 bc, ß = c3 9f), not Latin-1 or meta keys
    const bytes = await runCommand(page, 'printf %s grüße | od -An -tx1', 30_000, node)
    expect(bytes.split('od -An -tx1').pop()).toMatch(/^\s*67 72 c3 bc c3 9f 65\s*$/m)
    await page.screenshot({ path: join(resultsDir(), 'kind-node-terminal.png') })

    // The node dies mid-lab: the page says so and offers a reset, instead of a terminal that never
    // answers, and the server removes what is left of the cluster (as Stop or Reset would).
    mark('UTF-8 checked')
    spawnSync('docker', ['kill', node], { stdio: 'ignore' })
    const broken = page.locator('main.attempt[data-state="failed"] .failed')
    await broken.waitFor({ timeout: 30_000 })
    expect(await broken.textContent()).toContain(
      `the lab environment broke: node ${node} is not available (container is not running)`,
    )
    expect(await broken.getByRole('button', { name: 'Reset' }).isEnabled()).toBe(true)
    expect(await page.locator('.terminal-pane').count()).toBe(0)
    mark('broken shown')
    await page.screenshot({ path: join(resultsDir(), 'kind-node-broken.png') })
    await poll('no container of the cluster', 120_000, () =>
      containersOf(cluster).length === 0 ? true : undefined,
    )
    mark('no container left')
  }, 600_000)
})
