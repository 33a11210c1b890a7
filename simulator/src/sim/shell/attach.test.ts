import { describe, expect, it } from 'vitest'
import { RealClock } from '../clock'
import { createSimCluster } from '../cluster'
import type { TerminalSizeLike, Tty } from '../commands/types'
import { standardParts } from '../standard'
import { attachShell } from './terminal'

describe('attachShell', () => {
  it('runs a login shell on another node inside a program terminal until it exits', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new RealClock() },
    )
    const node = cluster.nodes[0]
    if (!node) throw new Error('no node')
    let screen = ''
    const inputs = new Set<(d: string) => void>()
    const tty: Tty = {
      size: { cols: 80, rows: 24 } as TerminalSizeLike,
      write: (d) => {
        screen += d
      },
      onInput: (l) => {
        inputs.add(l)
        return () => inputs.delete(l)
      },
      onResize: () => () => {},
    }
    const done = attachShell(node, tty)
    const type = (s: string) => {
      for (const l of inputs) l(s)
    }
    const until = async (text: string) => {
      for (let i = 0; i < 500 && !screen.includes(text); i++) await new Promise((r) => setTimeout(r, 10))
      expect(screen).toContain(text)
    }
    await until('root@controlplane:~# ')
    type('hostname\r')
    await until('controlplane\r\n')
    type('exit 4\r')
    expect(await done).toBe(4)
    expect(inputs.size).toBe(0)
    await cluster.dispose()
  })
})
