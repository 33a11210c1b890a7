import xtermHeadless from '@xterm/headless'
import type { ProfileId, TerminalStream } from '../../simulator/src/seam'
import { RealClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import { standardParts } from '../../simulator/src/sim/standard'

// Drives a simulated node's terminal the way a person would and reads the
// screen back from a headless xterm, so tests assert what a learner sees.

const { Terminal } = xtermHeadless

export interface Screen {
  cluster: SimCluster
  stream: TerminalStream
  term: InstanceType<typeof Terminal>
  /** Type bytes (keys) into the terminal. */
  type(data: string): void
  /** Wait until the screen satisfies `test` (or its text contains it). */
  waitFor(test: string | RegExp | ((text: string) => boolean), timeoutMs?: number): Promise<string>
  /** Wait until output has been quiet for a moment. */
  settle(ms?: number): Promise<void>
  text(): string
  /** The row the cursor is on, trimmed. */
  cursorLine(): string
  exitCode(): number | undefined
  close(): Promise<void>
}

export async function openScreen(
  opts: { cols?: number; rows?: number; kubernetes?: ProfileId; cluster?: SimCluster } = {},
): Promise<Screen> {
  const cols = opts.cols ?? 80
  const rows = opts.rows ?? 24
  const cluster =
    opts.cluster ??
    (await createSimCluster(
      { controlPlanes: 1, kubernetes: opts.kubernetes ?? '1.34' },
      { ...standardParts(), clock: new RealClock() },
    ))
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 })
  const node = cluster.nodes[0]
  if (!node) throw new Error('cluster has no nodes')
  const stream = await node.openTerminal({ cols, rows })
  let lastOutput = Date.now()
  let pendingWrites = 0
  let exit: number | undefined
  stream.onData((bytes) => {
    lastOutput = Date.now()
    pendingWrites++
    term.write(bytes, () => {
      pendingWrites--
    })
  })
  stream.onExit((code) => {
    exit = code
  })
  term.onData((d) => stream.write(d))
  const text = () => {
    const buf = term.buffer.active
    const lines: string[] = []
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '')
    while (lines.length && lines[lines.length - 1] === '') lines.pop()
    return lines.join('\n')
  }
  const screen: Screen = {
    cluster,
    stream,
    term,
    type: (data) => stream.write(data),
    async waitFor(test, timeoutMs = 10_000) {
      const ok = (t: string) =>
        typeof test === 'string' ? t.includes(test) : test instanceof RegExp ? test.test(t) : test(t)
      const deadline = Date.now() + timeoutMs
      for (;;) {
        await new Promise((r) => setTimeout(r, 5))
        if (pendingWrites === 0) {
          const t = text()
          if (ok(t)) return t
        }
        if (Date.now() > deadline)
          throw new Error(`screen never matched ${String(test)}; screen was:\n${text()}`)
      }
    },
    async settle(ms = 60) {
      for (;;) {
        await new Promise((r) => setTimeout(r, 10))
        if (pendingWrites === 0 && Date.now() - lastOutput >= ms) return
      }
    },
    text,
    cursorLine: () => {
      const buf = term.buffer.active
      return buf.getLine(buf.baseY + buf.cursorY)?.translateToString(true) ?? ''
    },
    exitCode: () => exit,
    async close() {
      stream.dispose()
      term.dispose()
      if (!opts.cluster) await cluster.dispose()
    },
  }
  return screen
}
