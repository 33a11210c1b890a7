import { beforeAll, describe, expect, it } from 'vitest'
import { VirtualClock } from '../clock'
import { createSimCluster, type SimCluster } from '../cluster'
import type { CommandResult, SimCommandContext, TerminalSizeLike, Tty } from '../commands/types'
import { standardParts } from '../standard'
import { Pager } from './pager'

// The full-screen tools driven through a fake terminal: keys in, frames out.

class FakeTty implements Tty {
  size: TerminalSizeLike = { cols: 80, rows: 10 }
  out = ''
  private listeners = new Set<(d: string) => void>()
  write(data: string): void {
    this.out += data
  }
  onInput(l: (d: string) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
  onResize(): () => void {
    return () => {}
  }
  type(d: string): void {
    for (const l of [...this.listeners]) l(d)
  }
  get listening(): number {
    return this.listeners.size
  }
}

let cluster: SimCluster

beforeAll(async () => {
  cluster = await createSimCluster(
    { controlPlanes: 1, kubernetes: '1.34' },
    { ...standardParts(), clock: new VirtualClock() },
  )
})

function start(name: string, args: string[], tty: FakeTty, stdin = ''): Promise<CommandResult> {
  const node = cluster.nodes[0]
  if (!node) throw new Error('no node')
  const cmd = cluster.commands.get(name)
  if (!cmd) throw new Error(`no ${name}`)
  const ctx: SimCommandContext = {
    node,
    args,
    cwd: '/root',
    env: {},
    stdin,
    fs: node.fs,
    tty,
    exec: (line) => node.exec(line),
  }
  return cmd.run(ctx)
}

const tick = () => new Promise((r) => setTimeout(r, 5))

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await tick()
}

describe('pager keys', () => {
  const doc = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`)
  const size = { cols: 80, rows: 10 }

  it('pages forward and back, searches and quits', () => {
    const p = new Pager([{ name: 'f.txt', lines: doc }], 'less')
    expect(p.render(size)).toContain('f.txt')
    p.keys([{ type: 'text', text: ' ' }], size)
    expect(p.top).toBe(9)
    p.keys([{ type: 'text', text: 'b' }], size)
    expect(p.top).toBe(0)
    p.keys(
      [
        { type: 'text', text: '/' },
        { type: 'text', text: 'line 42' },
        { type: 'key', name: 'enter' },
      ],
      size,
    )
    expect(p.top).toBe(41)
    p.keys(
      [
        { type: 'text', text: '/' },
        { type: 'text', text: 'nothing here' },
        { type: 'key', name: 'enter' },
      ],
      size,
    )
    expect(p.render(size)).toContain('Pattern not found')
    p.keys([{ type: 'text', text: 'G' }], size)
    expect(p.render(size)).toContain('(END)')
    expect(p.keys([{ type: 'text', text: 'q' }], size)).toBe(0)
  })

  it('more leaves at the end of the file', () => {
    const p = new Pager([{ name: 'f', lines: doc.slice(0, 15) }], 'more')
    expect(p.render(size)).toContain('--More--(60%)')
    p.keys([{ type: 'text', text: ' ' }], size)
    expect(p.keys([{ type: 'text', text: ' ' }], size)).toBe(0)
  })
})

describe('full-screen tools on a terminal', () => {
  it('less opens the alternate screen, draws only a window of a huge input and leaves on q', async () => {
    const tty = new FakeTty()
    const huge = `${'x'.repeat(50)}\n`.repeat(200_000)
    const run = start('less', [], tty, huge)
    await tick()
    expect(tty.out).toContain('\x1b[?1049h')
    expect(tty.out.length).toBeLessThan(5_000)
    tty.type('q')
    const r = await run
    expect(r.exitCode).toBe(0)
    expect(tty.out).toContain('\x1b[?1049l')
    expect(tty.listening).toBe(0)
  })

  it('top redraws on the clock and quits on q; Ctrl-C also ends it', async () => {
    const tty = new FakeTty()
    const run = start('top', [], tty)
    await tick()
    const first = tty.out.length
    expect(tty.out).toContain('PID USER')
    await cluster.clock.advance(3000)
    await tick()
    expect(tty.out.length).toBeGreaterThan(first)
    tty.type('q')
    expect((await run).exitCode).toBe(0)
    const again = new FakeTty()
    const run2 = start('top', [], again)
    await tick()
    again.type('\x03')
    expect((await run2).exitCode).toBe(0)
  })

  it('watch shows its header, runs the command again every interval and leaves on Ctrl-C', async () => {
    const node = cluster.nodes[0]
    if (!node) throw new Error('no node')
    await node.exec('echo 0 > /tmp/n')
    const tty = new FakeTty()
    tty.size = { cols: 120, rows: 10 }
    const run = start('watch', ['-n', '2', 'echo x >> /tmp/n; wc -l < /tmp/n'], tty)
    await until(() => tty.out.includes('Every'))
    expect(tty.out).toMatch(/Every 2\.0s: echo x >> \/tmp\/n; wc -l < \/tmp\/n +controlplane: /)
    await cluster.clock.advance(2000)
    await until(() => tty.out.split('Every').length > 2)
    await cluster.clock.advance(2000)
    await until(() => tty.out.split('Every').length > 3)
    tty.type('\x03')
    expect((await run).exitCode).toBe(0)
    expect((await node.exec('wc -l < /tmp/n')).stdout.trim()).toBe('4')
  })
})
