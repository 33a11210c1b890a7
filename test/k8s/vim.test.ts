import { describe, expect, it } from 'vitest'
import { cluster, pass, running } from './helpers'

// The learner's other way to edit a manifest: vim in the node's terminal.
// The save goes through the node's filesystem, so the kubelet sees it.

describe('editing etcd.yaml with vim', () => {
  it('recreates etcd with the new flag after :wq', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    const before = running(node, 'etcd')[0]?.id
    const term = await node.openTerminal({ cols: 120, rows: 40 })
    let out = ''
    term.onData((d) => {
      out += new TextDecoder().decode(d)
    })
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5))
    }
    await settle()
    term.write('vim /etc/kubernetes/manifests/etcd.yaml\r')
    await settle()
    for (const keys of ['/snapshot-count\r', 'dd', 'O', '    - --snapshot-count=7000', '\x1b', ':wq\r']) {
      term.write(keys)
      await settle()
    }
    await pass(c, 5000)
    term.dispose()
    const after = running(node, 'etcd')
    expect(after).toHaveLength(1)
    expect(after[0]?.id).not.toBe(before)
    expect(after[0]?.argv).toContain('--snapshot-count=7000')
    expect(out).toContain('etcd.yaml')
  })
})
