import { describe, expect, it } from 'vitest'
import { SimDriver } from '../../simulator/src/drivers/sim'
import type { ShellTerminal } from '../../simulator/src/sim/shell/terminal'

// What a learner types at the terminal: `$(…)` in the words of a command whose output is the
// terminal captures its output (it never appears at the prompt), and nothing ckalab uses to
// route output shows in the environment a command sees.
async function typed(lines: string[]): Promise<string> {
  const sim = new SimDriver()
  const env = await sim.create({ controlPlanes: 1, kubernetes: '1.31' })
  try {
    const shell = (await env.nodes[0]!.openTerminal({ cols: 200, rows: 50 })) as ShellTerminal
    let text = ''
    const dec = new TextDecoder()
    shell.onData((b) => {
      text += dec.decode(b, { stream: true })
    })
    const prompts = () => (text.match(/root@controlplane:~# /g) ?? []).length
    const deadline = Date.now() + 20_000
    const until = async (n: number) => {
      while (prompts() < n) {
        if (Date.now() > deadline) throw new Error(`no prompt ${n}; screen:\n${text}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    await until(1)
    for (let i = 0; i < lines.length; i++) {
      shell.write(`${lines[i]}\r`)
      await until(i + 2)
    }
    return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
  } finally {
    await env.dispose()
  }
}

describe('command substitution at the terminal', () => {
  it('captures a ckalab command in the words of a command that writes to the terminal', async () => {
    const screen = await typed(['echo "name=[$(hostname)]"', 'NAME=$(hostname); echo "got $NAME"'])
    expect(screen).toContain('name=[controlplane]')
    expect(screen).toContain('got controlplane')
    expect(screen).not.toMatch(/\ncontrolplane\r?\n/)
  })

  it('passes the substituted value on as an argument (etcdutl --name $(hostname))', async () => {
    const screen = await typed([
      'etcdutl snapshot restore /nonexistent.db --data-dir /tmp/x --name $(hostname) --initial-cluster controlplane=https://$(hostname -i):2380',
    ])
    expect(screen).not.toContain('requires exactly one argument')
    expect(screen).not.toMatch(/\ncontrolplane\r?\n/)
  })

  it('shows no routing marker in the environment', async () => {
    const screen = await typed(['env | grep -c CKALAB; printenv | grep CKALAB; echo done'])
    expect(screen).toMatch(/\r\n0\r\n/)
    expect(screen).toContain('done')
  })
})
