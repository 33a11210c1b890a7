import { afterEach, describe, expect, it } from 'vitest'
import { openScreen, type Screen } from './harness'

// Ctrl-Z, stopped jobs, fg/bg on them and `exit` with stopped jobs, held
// against bash 5.2.15 on Debian 12 driven in a pty (job-control-captures.md
// beside this file says how). The expected screens below are those captures
// with `$ ` replaced by the node's prompt.

let screen: Screen | undefined
afterEach(async () => {
  await screen?.close()
  screen = undefined
})

const PROMPT = 'root@controlplane:~# '

async function open(): Promise<Screen> {
  screen = await openScreen({ cols: 100 })
  await screen.waitFor(PROMPT)
  return screen
}

function prompts(t: string): number {
  return t.split(PROMPT).length - 1
}

/** Type a line and wait for the next prompt after it; the text from the typed line on. */
async function run(s: Screen, line: string, timeoutMs = 5000): Promise<string> {
  const before = prompts(s.text())
  s.type(`${line}\r`)
  const t = await s.waitFor((x) => prompts(x) > before, timeoutMs)
  return t
    .split(PROMPT)
    .slice(before)
    .map((p) => PROMPT + p)
    .join('')
}

/** Type a line that keeps running; resolves once it has started. */
async function start(s: Screen, line: string, output?: RegExp): Promise<void> {
  s.type(`${line}\r`)
  await s.waitFor((t) => t.endsWith(`${PROMPT}${line}`) || (!!output && output.test(t)))
  await new Promise((r) => setTimeout(r, 150))
}

/** Type Ctrl-Z while a command runs; the text from `^Z` to the next prompt. */
async function ctrlZ(s: Screen): Promise<string> {
  const before = prompts(s.text())
  s.type('\x1a')
  const t = await s.waitFor((x) => prompts(x) > before)
  const from = t.lastIndexOf('^Z')
  // A full-screen program reads Ctrl-Z itself: no echo, the shell's line follows its screen.
  return from >= 0 ? t.slice(from) : t.slice(t.lastIndexOf('[', t.lastIndexOf('Stopped')))
}

describe('Ctrl-Z and stopped jobs', () => {
  it('stops sleep: ^Z, [1]+ Stopped, $? 148; jobs, fg (command echoed), ^Z again, bg, kill', async () => {
    const s = await open()
    await start(s, 'sleep 100')
    expect(await ctrlZ(s)).toBe(`^Z\n[1]+  Stopped                 sleep 100\n${PROMPT}`)
    expect(await run(s, 'echo $?')).toBe(`${PROMPT}echo $?\n148\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n[1]+  Stopped                 sleep 100\n${PROMPT}`)
    await start(s, 'fg', /fg\nsleep 100$/)
    expect(await ctrlZ(s)).toBe(`^Z\n[1]+  Stopped                 sleep 100\n${PROMPT}`)
    expect(await run(s, 'bg')).toBe(`${PROMPT}bg\n[1]+ sleep 100 &\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n[1]+  Running                 sleep 100 &\n${PROMPT}`)
    const killed = await run(s, 'kill %1')
    const next = killed.includes('Terminated') ? killed : await run(s, '')
    expect(next).toContain('[1]+  Terminated              sleep 100\n')
  })

  it('a stopped sleep does not end while stopped; continued after its time, it ends at once', async () => {
    const s = await open()
    await start(s, 'sleep 1')
    await ctrlZ(s)
    await new Promise((r) => setTimeout(r, 1800))
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n[1]+  Stopped                 sleep 1\n${PROMPT}`)
    expect(await run(s, 'env | grep -c CKALAB')).toContain('\n0\n')
    expect(await run(s, 'fg')).toBe(`${PROMPT}fg\nsleep 1\n${PROMPT}`)
    expect(await run(s, 'echo $?')).toContain('\n0\n')
  })

  it('kill %1 on a stopped job: Stopped again at once, Terminated one prompt later; kill -9 says Killed', async () => {
    const s = await open()
    await start(s, 'sleep 100')
    await ctrlZ(s)
    expect(await run(s, 'kill %1')).toBe(
      `${PROMPT}kill %1\n\n[1]+  Stopped                 sleep 100\n${PROMPT}`,
    )
    await new Promise((r) => setTimeout(r, 100))
    expect(await run(s, '')).toBe(`${PROMPT}\n[1]+  Terminated              sleep 100\n${PROMPT}`)
    await start(s, 'sleep 100')
    await ctrlZ(s)
    expect(await run(s, 'kill -9 %1')).toContain('kill -9 %1\n\n[1]+  Stopped                 sleep 100\n')
    await new Promise((r) => setTimeout(r, 100))
    expect(await run(s, '')).toBe(`${PROMPT}\n[1]+  Killed                  sleep 100\n${PROMPT}`)
  })

  it('marks + and - as bash does with a running and a stopped job, and bg moves + to the newest running', async () => {
    const s = await open()
    await run(s, 'sleep 100 &')
    await start(s, 'sleep 200')
    expect(await ctrlZ(s)).toBe(`^Z\n[2]+  Stopped                 sleep 200\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(
      `${PROMPT}jobs\n[1]-  Running                 sleep 100 &\n[2]+  Stopped                 sleep 200\n${PROMPT}`,
    )
    await run(s, 'sleep 300 &')
    expect(await run(s, 'jobs')).toBe(
      `${PROMPT}jobs\n[1]   Running                 sleep 100 &\n[2]+  Stopped                 sleep 200\n[3]-  Running                 sleep 300 &\n${PROMPT}`,
    )
    await start(s, 'fg %1', /fg %1\nsleep 100$/)
    s.type('\x03')
    await s.waitFor(/\^C\nroot@controlplane:~# $/)
    expect(await run(s, 'jobs')).toBe(
      `${PROMPT}jobs\n[2]+  Stopped                 sleep 200\n[3]-  Running                 sleep 300 &\n${PROMPT}`,
    )
    expect(await run(s, 'bg')).toBe(`${PROMPT}bg\n[2]+ sleep 200 &\n${PROMPT}`)
    expect(await run(s, 'bg')).toBe(`${PROMPT}bg\nbash: bg: job 3 already in background\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(
      `${PROMPT}jobs\n[2]-  Running                 sleep 200 &\n[3]+  Running                 sleep 300 &\n${PROMPT}`,
    )
  })

  it('a stopped follower prints nothing until fg, then follows again; Ctrl-C ends it with 130', async () => {
    const s = await open()
    await start(s, 'kubectl get pods -w', /No resources found in default namespace\.$/)
    expect(await ctrlZ(s)).toBe(`^Z\n[1]+  Stopped                 kubectl get pods -w\n${PROMPT}`)
    // A pod appears while the watch is stopped: nothing is printed meanwhile.
    await run(s, 'kubectl run web --image=nginx')
    await new Promise((r) => setTimeout(r, 2500))
    const quiet = s.text()
    expect(quiet.slice(quiet.lastIndexOf('pod/web created'))).not.toMatch(/\nweb +\d\/1/)
    await start(s, 'fg', /fg\nkubectl get pods -w/)
    // Continued, it catches up on what changed.
    await s.waitFor(/fg\nkubectl get pods -w\n(.*\n)*web +\d\/1 /, 10_000)
    s.type('\x03')
    await s.waitFor(/\^C\nroot@controlplane:~# $/)
    expect(await run(s, 'echo $?')).toContain('\n130\n')
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n${PROMPT}`)
  }, 30_000)

  it('a stopped pipeline is one job named as typed; ^Z in a loop of builtins only echoes', async () => {
    const s = await open()
    await start(s, 'sleep 100 | cat')
    expect(await ctrlZ(s)).toBe(`^Z\n[1]+  Stopped                 sleep 100 | cat\n${PROMPT}`)
    await run(s, 'kill %1')
    await new Promise((r) => setTimeout(r, 100))
    await run(s, '')
    await start(s, 'while :; do :; done')
    s.type('\x1a')
    await s.waitFor(/done\n\^Z$/)
    s.type('\x03')
    await s.waitFor(/\^Z\^C\nroot@controlplane:~# $/)
    expect(await run(s, 'echo $?')).toContain('\n130\n')
  })

  it('exit with a stopped job: "There are stopped jobs." (status 1); exit again right after leaves', async () => {
    const s = await open()
    await start(s, 'sleep 100')
    await ctrlZ(s)
    expect(await run(s, 'exit')).toBe(`${PROMPT}exit\nlogout\nThere are stopped jobs.\n${PROMPT}`)
    expect(await run(s, 'echo $?')).toContain('\n1\n')
    // A command in between: the warning again.
    expect(await run(s, 'exit')).toContain('There are stopped jobs.\n')
    // An empty line is not a command: the second exit leaves.
    await run(s, '')
    s.type('exit\r')
    await s.waitFor(/exit\nlogout$/)
    await new Promise((r) => setTimeout(r, 50))
    // exit without a status leaves with $?, the refused exit's 1.
    expect(s.exitCode()).toBe(1)
  })

  it('`jobs` between two exits lets the second leave; running jobs never block exit; logout warns too', async () => {
    const s = await open()
    await run(s, 'sleep 100 &')
    await start(s, 'sleep 200')
    await ctrlZ(s)
    expect(await run(s, 'logout')).toBe(`${PROMPT}logout\nThere are stopped jobs.\n${PROMPT}`)
    await run(s, 'jobs')
    s.type('exit\r')
    await s.waitFor(/exit\nlogout$/)
    await new Promise((r) => setTimeout(r, 50))
    expect(s.exitCode()).toBe(0)
  })

  it('wait warns about a stopped job and does not wait for it; Ctrl-Z at the prompt does nothing', async () => {
    const s = await open()
    await start(s, 'sleep 100')
    await ctrlZ(s)
    const w = await run(s, 'wait')
    expect(w).toMatch(/^root@controlplane:~# wait\nbash: wait: warning: job 1\[\d+\] stopped\n/)
    expect(await run(s, 'echo $?')).toContain('\n0\n')
    const before = s.text()
    s.type('\x1a')
    await new Promise((r) => setTimeout(r, 200))
    expect(s.text()).toBe(before)
  })

  it('top gives the screen back on Ctrl-Z and redraws on fg, as the real one does', async () => {
    const s = await open()
    s.type('top\r')
    await s.waitFor(/^top - /m)
    expect(await ctrlZ(s)).toBe(`^Z`.slice(2) + `[1]+  Stopped                 top\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n[1]+  Stopped                 top\n${PROMPT}`)
    s.type('fg\r')
    await s.waitFor((t) => /^top - /m.test(t) && !t.includes(`${PROMPT}fg`))
    s.type('q')
    await s.waitFor(/fg\ntop\n(.*\n)*root@controlplane:~# $/)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n${PROMPT}`)
  })
  it("vim in normal mode gives the screen back on Ctrl-Z and is the same edit on fg; in insert mode Ctrl-Z stays vim's", async () => {
    const s = await open()
    await run(s, 'echo first > /root/f')
    s.type('vim /root/f\r')
    await s.waitFor(/"\/root\/f" 1L, 6B/)
    s.type('ix\x1a')
    await new Promise((r) => setTimeout(r, 300))
    expect(s.text()).not.toContain('Stopped')
    s.type('\x1b')
    expect(await ctrlZ(s)).toBe(`[1]+  Stopped                 vim /root/f\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n[1]+  Stopped                 vim /root/f\n${PROMPT}`)
    s.type('fg\r')
    await s.waitFor((t) => /^xfirst/m.test(t) && !t.includes(`${PROMPT}fg`))
    await run(s, ':wq')
    expect(await run(s, 'cat /root/f')).toBe(`${PROMPT}cat /root/f\nxfirst\n${PROMPT}`)
    expect(await run(s, 'jobs')).toBe(`${PROMPT}jobs\n${PROMPT}`)
  })
})
