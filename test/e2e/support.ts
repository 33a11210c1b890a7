// Shared pieces of the browser suites: build the web app, run a ckalab server
// in a child process (so a test can SIGKILL it), launch Debian's chromium
// through playwright-core, and read the xterm buffer from the page.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const RESULTS = join(REPO, 'test-results')
export const CHROMIUM = process.env.CKALAB_CHROMIUM ?? '/usr/bin/chromium'

/** Chromium is a prerequisite: in CI its absence fails the suite; locally it is reported and the suite skips. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CI)
    throw new Error(`chromium is not installed at ${CHROMIUM}; run: apt-get install -y chromium`)
  return false
}

let built = false
export function buildWeb(): void {
  if (built) return
  execFileSync(
    process.execPath,
    [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'],
    {
      cwd: REPO,
      stdio: 'inherit',
    },
  )
  built = true
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export class ServerProcess {
  url = ''
  /** Set by the first start on a fresh data dir (the only time the key is shown). */
  instructorKey: string | undefined
  private child: ChildProcess | undefined
  log = ''

  constructor(
    readonly driver: 'fake' | 'sim',
    readonly dataDir = mkdtempSync(join(tmpdir(), 'ckalab-e2e-')),
    private port = 0,
  ) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'simulator/src/server/testing/serve-fixture.ts'),
        '--driver',
        this.driver,
        '--data-dir',
        this.dataDir,
        '--port',
        String(this.port),
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    this.child = child
    child.stderr?.on('data', (d) => {
      this.log += d.toString()
    })
    this.url = await new Promise<string>((resolvePromise, reject) => {
      let out = ''
      const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${this.log}`)), 30_000)
      child.stdout?.on('data', (d) => {
        out += d.toString()
        const line = out.split('\n').find((l) => l.startsWith('{"url"'))
        if (line) {
          clearTimeout(timer)
          const started = JSON.parse(line)
          this.instructorKey ??= started.instructorKey
          resolvePromise(started.url)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`server exited with ${code}:\n${this.log}`))
      })
    })
    // Restarts keep the port so the page's URL stays valid.
    this.port = Number(new URL(this.url).port)
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return Promise.resolve()
    return new Promise((r) => {
      child.once('exit', () => r())
      child.kill(signal)
    })
  }

  async dispose(): Promise<void> {
    await this.kill('SIGTERM')
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

export function resultsDir(): string {
  mkdirSync(RESULTS, { recursive: true })
  return RESULTS
}

/** The visible text of a node's terminal, read from xterm's buffer. */
export async function terminalText(page: Page, node = 'controlplane'): Promise<string> {
  return page.evaluate((n) => {
    const term = window.__ckalabTerminals?.[n]
    if (!term) return ''
    const buf = term.buffer.active
    const lines: string[] = []
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '')
    return lines.join('\n')
  }, node)
}

export async function waitForTerminal(
  page: Page,
  test: (text: string) => boolean,
  what: string,
  timeoutMs = 15_000,
  node = 'controlplane',
): Promise<string> {
  const until = Date.now() + timeoutMs
  let text = ''
  while (Date.now() < until) {
    text = await terminalText(page, node)
    if (test(text)) return text
    await page.waitForTimeout(50)
  }
  throw new Error(
    `timed out waiting for ${what}; terminal shows:\n${text.trimEnd().split('\n').slice(-15).join('\n')}`,
  )
}

/** Types like a person at the keyboard: characters through xterm's input, Enter as \r. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line, { delay: 2 })
  await page.keyboard.press('Enter')
}

const PROMPT_LINE = /^root@[\w.-]+:[^\n]*# ?$/

/**
 * Types one shell command and waits until the shell shows its prompt again
 * below the command (the command has finished).
 */
export async function runCommand(
  page: Page,
  line: string,
  timeoutMs = 30_000,
  node = 'controlplane',
): Promise<string> {
  const before = (await terminalText(page, node)).trimEnd().split('\n').length
  await typeLine(page, line)
  const probe = line.slice(0, 40)
  return waitForTerminal(
    page,
    (t) => {
      const lines = t.trimEnd().split('\n')
      if (lines.length <= before && !t.includes(probe)) return false
      const tail = lines.slice(Math.max(0, before - 1))
      const at = tail.findIndex((l) => l.includes(probe))
      return at >= 0 && at < tail.length - 1 && PROMPT_LINE.test(tail[tail.length - 1])
    },
    `the prompt after "${line}"`,
    timeoutMs,
    node,
  )
}

/**
 * One test file's browser suite: the web build, a ckalab server on `driver` and Chromium, started before the
 * file's tests and ended after them. `available` is false only outside CI without Chromium (in CI a missing
 * Chromium fails the file).
 */
export function browserSuite(driver: ConstructorParameters<typeof ServerProcess>[0]): {
  readonly available: boolean
  readonly server: ServerProcess
  readonly browser: Browser
} {
  const suite = { available: chromiumAvailable() } as {
    available: boolean
    server: ServerProcess
    browser: Browser
  }
  beforeAll(async () => {
    if (!suite.available) return
    buildWeb()
    suite.server = new ServerProcess(driver)
    await suite.server.start()
    suite.browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await suite.browser?.close()
    await suite.server?.dispose()
  })
  return suite
}
