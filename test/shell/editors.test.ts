import { afterEach, describe, expect, it } from 'vitest'
import { openScreen, type Screen } from './harness'

// vim and nano end to end: typed into the node's terminal, checked on the
// screen and in the node's filesystem.

let screen: Screen | undefined
afterEach(async () => {
  await screen?.close()
  screen = undefined
})

async function open(): Promise<Screen> {
  screen = await openScreen({ cols: 80, rows: 24 })
  await screen.waitFor('root@controlplane:~# ')
  return screen
}

async function file(s: Screen, path: string): Promise<string | undefined> {
  const node = s.cluster.nodes[0]
  return node?.readText(path)
}

const ESC = '\x1b'

describe('vim', () => {
  it('edits a manifest: search, change a word, save with :wq in one write', async () => {
    const s = await open()
    const node = s.cluster.nodes[0]
    if (!node) throw new Error('no node')
    const manifest = '/etc/kubernetes/manifests/etcd.yaml'
    const before = (await file(s, manifest)) ?? ''
    expect(before).toContain('--data-dir=/var/lib/etcd')
    const writes: string[] = []
    node.fs.onChange((c) => {
      if (c.kind === 'write') writes.push(c.path)
    })
    s.type(`vim ${manifest}\r`)
    await s.waitFor(/"\/etc\/kubernetes\/manifests\/etcd\.yaml" \d+L, \d+B/)
    expect(await file(s, '/etc/kubernetes/manifests/.etcd.yaml.swp')).toBeDefined()
    expect(s.text()).toMatch(/1,1\s+(All|Top)/)
    s.type('/data-dir=\r')
    await s.waitFor(/\d+,\d+/)
    s.type('f=lC/var/lib/etcd-from-backup')
    await s.waitFor('-- INSERT --')
    s.type(ESC)
    await s.waitFor((t) => !t.includes('-- INSERT --'))
    s.type(':wq\r')
    await s.waitFor('root@controlplane:~# ')
    const after = (await file(s, manifest)) ?? ''
    expect(after).toContain('--data-dir=/var/lib/etcd-from-backup')
    expect(after.split('\n').length).toBe(before.split('\n').length)
    expect(writes.filter((p) => p === manifest)).toHaveLength(1)
    expect(await file(s, '/etc/kubernetes/manifests/.etcd.yaml.swp')).toBeUndefined()
  })

  it('refuses :q with changes (E37), then :q! discards them', async () => {
    const s = await open()
    await s.waitFor('# ')
    s.type("printf 'one\\ntwo\\n' > /tmp/f.txt\r")
    await s.settle()
    s.type('vi /tmp/f.txt\r')
    await s.waitFor('"/tmp/f.txt" 2L, 8B')
    s.type('ddx:q\r')
    await s.waitFor('E37: No write since last change (add ! to override)')
    s.type(':q!\r')
    await s.waitFor('root@controlplane:~# ')
    expect(await file(s, '/tmp/f.txt')).toBe('one\ntwo\n')
  })

  it('yy/p, o, u, :set number, :<line> and the ruler', async () => {
    const s = await open()
    s.type("printf 'a\\nb\\nc\\n' > /tmp/g.txt\r")
    await s.settle()
    s.type('vim /tmp/g.txt\r')
    await s.waitFor('"/tmp/g.txt" 3L, 6B')
    s.type(':set number\r')
    await s.waitFor(/ {2}1 a/)
    s.type('yyp')
    await s.waitFor(/ {2}2 a\n {2}3 b/)
    s.type('Gonew line')
    s.type(ESC)
    await s.waitFor(/ {2}5 new line/)
    s.type('u')
    await s.waitFor((t) => !t.includes('new line'))
    s.type(':2\r')
    await s.waitFor(/2,1\s+All/)
    s.type(':x\r')
    await s.waitFor('root@controlplane:~# ')
    expect(await file(s, '/tmp/g.txt')).toBe('a\na\nb\nc\n')
  })

  it('visual line delete and a new file written with :w then :q', async () => {
    const s = await open()
    s.type('vim /tmp/new.txt\r')
    await s.waitFor('"/tmp/new.txt" [New]')
    s.type('ifirst\rsecond\rthird')
    s.type(ESC)
    s.type('kVd')
    await s.waitFor((t) => !t.includes('second'))
    s.type(':w\r')
    await s.waitFor('"/tmp/new.txt" [New] 2L, 12B written')
    s.type(':q\r')
    await s.waitFor('root@controlplane:~# ')
    expect(await file(s, '/tmp/new.txt')).toBe('first\nthird\n')
  })

  it('without a terminal warns, and runs -c commands', async () => {
    const s = await open()
    const node = s.cluster.nodes[0]
    if (!node) throw new Error('no node')
    await node.exec("printf 'x=1\\n' > /tmp/c.txt")
    const plain = await node.exec('vim /tmp/c.txt')
    expect(plain.stderr).toContain('Vim: Warning: Output is not to a terminal')
    expect(plain.exitCode).toBe(1)
    const scripted = await node.exec("vim -c '%s/1/2/' -c 'wq' /tmp/c.txt")
    expect(scripted.exitCode).toBe(0)
    expect(await node.readText('/tmp/c.txt')).toBe('x=2\n')
  })

  it('survives random bytes', async () => {
    const s = await open()
    s.type('vim /tmp/r.txt\r')
    await s.waitFor('[New]')
    let seed = 3
    let junk = ''
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const b = (seed >> 16) & 0xff
      // Leave out ':' and 'Z' so the random input cannot quit vim by accident.
      if (b === 0x3a || b === 0x5a || b === 0x03) continue
      junk += String.fromCharCode(b)
    }
    s.type(junk)
    s.type(ESC)
    s.type(ESC)
    s.type(':q!\r')
    await s.waitFor('root@controlplane:~# ', 10_000)
  })
})

describe('nano', () => {
  it('types, cuts a line, writes with Ctrl-O and exits with Ctrl-X', async () => {
    const s = await open()
    s.type("printf 'keep\\ndrop\\nend\\n' > /tmp/n.txt\r")
    await s.settle()
    s.type('nano /tmp/n.txt\r')
    await s.waitFor('[ Read 3 lines ]')
    expect(s.text()).toContain('GNU nano 7.2')
    s.type('\x1b[B\x0b')
    await s.waitFor((t) => !t.includes('drop'))
    s.type('\x1b[Bafter')
    await s.waitFor('Modified')
    s.type('\x0f')
    await s.waitFor('File Name to Write: /tmp/n.txt')
    s.type('\r')
    await s.waitFor('[ Wrote 3 lines ]')
    s.type('\x18')
    await s.waitFor('root@controlplane:~# ')
    expect(await file(s, '/tmp/n.txt')).toBe('keep\nend\nafter\n')
  })

  it('asks to save a modified buffer on exit and searches with Ctrl-W', async () => {
    const s = await open()
    s.type("printf 'alpha\\nbeta\\ngamma\\n' > /tmp/m.txt\r")
    await s.settle()
    s.type('nano /tmp/m.txt\r')
    await s.waitFor('[ Read 3 lines ]')
    s.type('\x17gam\r')
    await s.settle()
    s.type('G')
    s.type('\x18')
    await s.waitFor('Save modified buffer?')
    s.type('y')
    await s.waitFor('File Name to Write: /tmp/m.txt')
    s.type('\r')
    await s.waitFor('root@controlplane:~# ')
    expect(await file(s, '/tmp/m.txt')).toBe('alpha\nbeta\nGgamma\n')
  })
})

describe("vim and nano on a file past the editors' budget", () => {
  it('vim reads what fits, says E342 and [READ ERRORS], keeps the file read-only; nano leaves out of memory', async () => {
    const s = await open()
    const node = s.cluster.nodes[0]
    if (!node) throw new Error('no node')
    // 4.4 MB of `yes` output: 2.2 million lines, about 73 MB as strings, just past the budget.
    const content = 'y\n'.repeat(2_200_000)
    await node.fs.writeFile('/root/yes.txt', content)
    const started = performance.now()
    s.type('vim yes.txt\r')
    await s.waitFor('Press ENTER or type command to continue')
    expect(s.text()).toMatch(/E342: Out of memory! {2}\(allocating 3 bytes\)/)
    expect(s.text()).toMatch(/"yes\.txt" \[READ ERRORS\] \d+L, \d+B/)
    s.type('\r')
    await s.waitFor(/1,1 +Top/)
    s.type('G')
    await s.waitFor(/\d{7},1 +Bot/)
    s.type(':wq\r')
    await s.waitFor("E45: 'readonly' option is set (add ! to override)")
    s.type(':q\r')
    await s.waitFor('root@controlplane:~# ')
    expect(performance.now() - started).toBeLessThan(20_000)
    expect((await node.readText('/root/yes.txt'))?.length).toBe(content.length)
    s.type('nano yes.txt; echo "exit=$?"\r')
    await s.waitFor('exit=1')
    expect(s.text()).toContain('Nano is out of memory!')
  })
})
