import { afterEach, describe, expect, it } from 'vitest'
import { openScreen, type Screen } from './harness'

// The simulated node's terminal as a learner uses it, read back from a headless xterm.

let screen: Screen | undefined
afterEach(async () => {
  await screen?.close()
  screen = undefined
})

async function open(cols = 80): Promise<Screen> {
  screen = await openScreen({ cols })
  await screen.waitFor('root@controlplane:~# ')
  return screen
}

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Type a line and wait for the next prompt after it. */
async function run(s: Screen, line: string, timeoutMs = 5000): Promise<string> {
  const before = (s.text().match(/root@controlplane:[^#]*# /g) ?? []).length
  s.type(`${line}\r`)
  return s.waitFor((t) => (t.match(/root@controlplane:[^#]*# /g) ?? []).length > before, timeoutMs)
}

describe('simulated shell terminal', () => {
  it('shows the Debian root prompt and runs a typed command', async () => {
    const s = await open()
    const text = await run(s, 'echo hello world')
    expect(text).toContain('root@controlplane:~# echo hello world\nhello world\nroot@controlplane:~# ')
  })

  it('keeps the working directory, exported and plain variables, aliases and functions across lines', async () => {
    const s = await open()
    await run(s, 'cd /etc/kubernetes/manifests')
    expect(s.cursorLine()).toBe('root@controlplane:/etc/kubernetes/manifests# ')
    await run(
      s,
      'export ETCDCTL_API=3; PLAIN=x; alias lsm="ls /etc/kubernetes/manifests"; greet() { echo "hi $1"; }',
    )
    await run(s, 'cd -')
    expect(s.text()).toContain('\n/root\n')
    const text = await run(
      s,
      'echo "$ETCDCTL_API $PLAIN"; env | grep -c ETCDCTL_API; env | grep -c PLAIN; lsm; greet you',
    )
    expect(text).toContain('3 x\n1\n0\n')
    expect(text).toContain('etcd.yaml')
    expect(text).toContain('hi you')
    await run(s, 'cd ~/../etc && pwd')
    expect(s.text()).toContain('root@controlplane:/etc# ')
  })

  it('shows a command that logs while it works in the order it wrote: etcdctl snapshot save', async () => {
    const s = await open(200)
    const tls =
      '--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
    const text = await run(s, `etcdctl ${tls} snapshot save /tmp/s.db`)
    const saved = text.indexOf('Snapshot saved at /tmp/s.db\nServer version 3.6.0\n')
    expect(saved).toBeGreaterThan(text.lastIndexOf('"msg":"saved","path":"/tmp/s.db"}'))
    expect(text.lastIndexOf('"msg":"saved"')).toBeGreaterThan(text.lastIndexOf('snapshot save /tmp/s.db'))
    // redirected streams keep their own content
    const only = await run(s, `etcdctl ${tls} snapshot save /tmp/t.db 2>/dev/null`)
    expect(only.slice(only.lastIndexOf('2>/dev/null'))).not.toContain('"level"')
    expect(only).toContain('Snapshot saved at /tmp/t.db')
    // etcd 3.6 has no `etcdctl snapshot restore`: cobra's error first, the help, then etcdctl's error
    const restore = await run(s, 'etcdctl snapshot restore /tmp/s.db --data-dir /var/lib/etcd-from-backup')
    const shown = restore.slice(restore.lastIndexOf('--data-dir /var/lib/etcd-from-backup'))
    const errors = [...shown.matchAll(/Error: unknown flag: --data-dir/g)].map((m) => m.index)
    expect(errors).toHaveLength(2)
    const help = shown.indexOf('snapshot - Manages etcd node snapshots')
    expect(errors[0]).toBeLessThan(help)
    expect(help).toBeLessThan(errors[1]!)
  })

  it("shows kubectl's warning before its result, as kubectl writes them", async () => {
    const s = await open(200)
    await run(
      s,
      'kubectl create deployment web --image=nginx:1.27 && kubectl get deploy web -o yaml > /tmp/web.yaml',
    )
    const text = await run(s, 'kubectl apply -f /tmp/web.yaml')
    const shown = text.slice(text.lastIndexOf('kubectl apply -f /tmp/web.yaml'))
    expect(shown.indexOf('Warning: resource deployments/web is missing')).toBeGreaterThan(0)
    expect(shown.indexOf('Warning: resource deployments/web is missing')).toBeLessThan(
      shown.indexOf('deployment.apps/web configured'),
    )
  })

  it('keeps $? and reports unknown commands like bash', async () => {
    const s = await open()
    await run(s, 'nosuchcommand')
    const text = await run(s, 'echo status=$?')
    expect(text).toContain('bash: nosuchcommand: command not found\n')
    expect(text).toContain('status=127')
  })

  it('edits the line: arrows, Home/End, Ctrl-A/E/U/K/W, Backspace, Delete', async () => {
    const s = await open()
    s.type('echo wrld\x1b[D\x1b[D\x1b[Do\x05!\r')
    await s.waitFor('\nworld!\n')
    s.type('xx\x15echo one two three\x17\x17four\r')
    await s.waitFor('\none four\n')
    s.type('echo abcdef\x1b[D\x1b[D\x1b[D\x0b\x01\x1b[3~\x1b[3~\x1b[3~\x1b[3~\x1b[3~echo \x1b[F\x7fZ\r')
    await s.waitFor('\nabZ\n')
    s.type('echo 1234\x1b[H\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[CX\r')
    await s.waitFor('\n12X34\n')
  })

  it('recalls history with Up/Down and finds it with Ctrl-R', async () => {
    const s = await open()
    await run(s, 'echo first')
    await run(s, 'echo second')
    s.type('\x1b[A\x1b[A')
    await s.waitFor((t) => t.endsWith('root@controlplane:~# echo first'))
    s.type('\x1b[B')
    await s.waitFor((t) => t.endsWith('root@controlplane:~# echo second'))
    s.type('\x15\x12fir')
    await s.waitFor("(reverse-i-search)`fir': echo first")
    s.type('\r')
    await s.waitFor((t) => t.split('\n').filter((l) => l === 'first').length === 2)
    s.type('\x12zzz')
    await s.waitFor("(failed reverse-i-search)`zzz'")
    s.type('\x07')
    await s.waitFor((t) => t.endsWith('root@controlplane:~# '))
    const hist = await run(s, 'history')
    expect(hist).toMatch(/\s+1\s+echo first\n\s+2\s+echo second\n/)
  })

  it('completes commands and paths with Tab, listing on the second Tab', async () => {
    const s = await open()
    s.type('ech\t')
    await s.waitFor((t) => t.endsWith('# echo '))
    s.type('\x15ls /etc/kubernetes/mani\t')
    await s.waitFor((t) => t.endsWith('# ls /etc/kubernetes/manifests/'))
    s.type('kube-\t')
    await s.waitFor((t) => t.endsWith('manifests/kube-'))
    s.type('\t')
    await s.waitFor('kube-apiserver.yaml')
    expect(s.text()).toContain('kube-scheduler.yaml')
    await s.waitFor((t) => t.endsWith('# ls /etc/kubernetes/manifests/kube-'))
    s.type('sch\t')
    await s.waitFor((t) => t.endsWith('manifests/kube-scheduler.yaml '))
    s.type('\r')
    await s.waitFor('\n/etc/kubernetes/manifests/kube-scheduler.yaml\n')
  })

  it('interrupts a running command with Ctrl-C and at the prompt discards the line', async () => {
    const s = await open()
    s.type('sleep 600\r')
    await s.settle(100)
    s.type('\x03')
    await s.waitFor((t) => /sleep 600\n\^C\nroot@controlplane:~# $/.test(t))
    const st = await run(s, 'echo $?')
    expect(st).toContain('\n130\n')
    s.type('echo not run\x03')
    await s.waitFor('# echo not run^C\nroot@controlplane:~# ')
  })

  it('reads multi-line input with the continuation prompt: for, if, heredoc, backslash', async () => {
    const s = await open()
    s.type('for i in a b\r')
    await s.waitFor((t) => t.endsWith('\n> '))
    s.type('do echo "item $i"\rdone\r')
    await s.waitFor('item a\nitem b\n')
    s.type('cat <<EOF > /tmp/h.txt\rline one\r  line two\rEOF\r')
    await s.settle()
    await run(s, 'cat /tmp/h.txt')
    expect(s.text()).toContain('line one\n  line two\n')
    s.type('echo a \\\r')
    await s.waitFor((t) => t.endsWith('\n> '))
    s.type('b\r')
    await s.waitFor('\na b\n')
  })

  it('clears the screen, exits with a status on exit n, and says logout', async () => {
    const s = await open()
    await run(s, 'echo before-clear')
    s.type('clear\r')
    await s.waitFor((t) => !t.includes('before-clear') || t.trim().startsWith('root@controlplane'))
    s.type('exit 5\r')
    await s.waitFor('logout')
    await new Promise((r) => setTimeout(r, 20))
    expect(s.exitCode()).toBe(5)
  })

  it('Ctrl-D on an empty line logs out; on a nested shell it returns to the outer one', async () => {
    const s = await open()
    await run(s, 'export KEEP=1; LOST=1')
    await run(s, 'bash')
    await run(s, 'echo "[$KEEP][$LOST][$SHLVL]"')
    expect(s.text()).toContain('[1][][2]')
    s.type('\x04')
    await s.waitFor((t) => /exit\nroot@controlplane:~# $/.test(t))
    s.type('\x04')
    await s.waitFor('logout')
    await new Promise((r) => setTimeout(r, 20))
    expect(s.exitCode()).toBe(0)
  })

  it('a new login shell reads ETCDCTL_* exported from a profile file', async () => {
    const s = await open()
    await run(
      s,
      "echo 'export ETCDCTL_API=3' > /etc/profile.d/etcdctl.sh; echo 'export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt' >> ~/.bashrc",
    )
    await run(s, 'echo "[$ETCDCTL_API][$ETCDCTL_CACERT]"')
    expect(s.text()).toContain('[][]')
    await run(s, 'su -')
    await run(s, 'echo "<$ETCDCTL_API><$ETCDCTL_CACERT>"')
    expect(s.text()).toContain('<3></etc/kubernetes/pki/etcd/ca.crt>')
    await run(s, 'exit')
    await run(s, 'source ~/.bashrc; echo "{$ETCDCTL_CACERT}"')
    expect(s.text()).toContain('{/etc/kubernetes/pki/etcd/ca.crt}')
  })

  it('redraws long lines that wrap at the terminal width', async () => {
    const s = await open(40)
    const long = `echo ${'x'.repeat(60)}`
    s.type(long)
    s.type('\x01\x1b[C\x1b[C\x1b[C\x1b[C\x1b[CY ')
    s.type('\r')
    await s.waitFor(`Y ${'x'.repeat(34)}`)
    expect(s.text().replace(/\n/g, '')).toContain(`Y ${'x'.repeat(60)}root@`)
  })

  it('survives garbage input and split UTF-8', async () => {
    const s = await open()
    s.type('\x1b[999;999Z\x1b[?1;2c\x1bOQ\x00\x1b\x1b[1;5C\x9b')
    const bytes = new TextEncoder().encode('echo ünïcødé\r')
    s.stream.write(bytes.slice(0, 7))
    s.stream.write(bytes.slice(7))
    await s.waitFor('\nünïcødé\n')
    s.type('\x1b[200~echo pasted\x1b[201~\r')
    await s.waitFor('\npasted\n')
  })

  it('Ctrl-C stops a runaway loop: ^C, a fresh prompt, and the loop no longer runs', async () => {
    const s = await open()
    s.type('n=0; while true; do n=$((n+1)); echo $n > /tmp/runaway; done\r')
    const count = async () =>
      Number((await s.cluster.nodes[0]?.fs.readFile('/tmp/runaway').catch(() => ''))?.trim() || 0)
    // The loop runs on (and the terminal stays responsive) until Ctrl-C.
    await waitUntil(async () => (await count()) > 20, 20_000)
    const before = await count()
    await waitUntil(async () => (await count()) > before, 20_000)
    const t0 = Date.now()
    s.type('\x03')
    await s.waitFor((t) => /\n\^C\nroot@controlplane:~# $/.test(t))
    // Well under the 1.5 s after which the terminal would give the prompt back without the loop's help.
    expect(Date.now() - t0).toBeLessThan(1000)
    const stopped = await count()
    await new Promise((r) => setTimeout(r, 200))
    expect(await count()).toBe(stopped)
    const after = await run(s, 'echo $?; echo alive')
    expect(after).toContain('\n130\nalive\n')
  }, 60_000)

  it('runs `cmd &` in the background: [1] pid, its output beside the next command, a Done notice before a prompt', async () => {
    const s = await open(100)
    s.type('(for i in 1 2 3; do echo bg-$i; sleep 0.4; done) &\r')
    await s.waitFor(/&\n\[1\] \d+\nroot@controlplane:~# /)
    // The next command typed is run at once, never swallowed, while the job keeps printing.
    const fg = await run(s, 'echo fg-ran')
    expect(fg).toContain('\nfg-ran\n')
    await s.waitFor('bg-3')
    // bash reports the job's end before the first prompt after it.
    await new Promise((r) => setTimeout(r, 1000))
    await run(s, '')
    expect(s.text()).toContain(
      '[1]+  Done                    (for i in 1 2 3; do echo bg-$i; sleep 0.4; done)\n',
    )
  })

  it('jobs, kill %1, fg and wait act on background jobs as in bash', async () => {
    const s = await open(100)
    await run(s, 'sleep 100 &')
    await run(s, 'kubectl get pods -n kube-system -w &')
    await s.waitFor('etcd-controlplane')
    const listed = await run(s, 'jobs')
    expect(listed).toContain(
      'jobs\n[1]-  Running                 sleep 100 &\n[2]+  Running                 kubectl get pods -n kube-system -w &\n',
    )
    await run(s, 'kill %1')
    const after = await run(s, '')
    expect(after).toContain('\n[1]-  Terminated              sleep 100\n')
    expect(await run(s, 'kill %7')).toContain('bash: kill: %7: no such job\n')
    // fg waits for the job; Ctrl-C reaches it.
    s.type('fg\r')
    await s.waitFor(/fg\nkubectl get pods -n kube-system -w$/)
    s.type('\x03')
    await s.waitFor(/\^C\nroot@controlplane:~# $/)
    expect(await run(s, 'echo $?')).toContain('\n130\n')
    expect(await run(s, 'fg')).toContain('bash: fg: current: no such job\n')
    await run(s, 'sleep 0.3 &')
    const t0 = Date.now()
    await run(s, 'wait')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200)
  })

  it('a write past the disk quota says No space left on device; a huge variable does not end the shell', async () => {
    const s = await open()
    // Copying 12 MB in the simulated shell is slow on a busy machine: allow time.
    await run(s, 's=$(printf "%01000000d" 0); for i in $(seq 12); do echo $s; done > /tmp/a', 30_000)
    for (const f of ['b', 'c', 'd', 'e']) await run(s, `cat /tmp/a > /tmp/${f}`, 30_000)
    const text = await run(s, 'cat /tmp/a > /tmp/f', 30_000)
    expect(text).toContain('No space left on device')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion typed by the learner
    const after = await run(s, 'echo ${#s}')
    expect(after).toContain('\n1000000\n')
    expect(s.exitCode()).toBeUndefined()
  }, 240_000)

  it('holds output while paused, replays it on resume, and keeps type-ahead typed during a command', async () => {
    const s = await open()
    s.stream.pause?.()
    s.type('echo while-paused\r')
    await new Promise((r) => setTimeout(r, 300))
    expect(s.text()).not.toContain('while-paused')
    s.stream.resume?.()
    await s.waitFor('\nwhile-paused\n')
    s.type('sleep 1\r')
    await new Promise((r) => setTimeout(r, 100))
    s.type('echo typed-ahead\r')
    await s.waitFor('\ntyped-ahead\n')
  })

  it('resizes: programs see the new size and the line is redrawn at the new width', async () => {
    const s = await open()
    s.stream.resize({ cols: 100, rows: 30 })
    s.term.resize(100, 30)
    const text = await run(s, 'vim --version | head -1')
    expect(text).toContain('VIM - Vi IMproved')
  })
})
