import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimCluster, type SimCluster } from '../cluster'
import { standardParts } from '../standard'
import { parseShellSwitch, ShellSession } from './session'

let cluster: SimCluster
beforeAll(async () => {
  cluster = await createSimCluster({ controlPlanes: 1, kubernetes: '1.34' }, standardParts())
})
afterAll(async () => {
  await cluster.dispose()
})

async function session(interactive = true): Promise<ShellSession> {
  const node = cluster.nodes[0]
  if (!node) throw new Error('no node')
  const s = new ShellSession(node, { interactive })
  await s.start()
  return s
}

describe('ShellSession', () => {
  it('carries variables, exports, unexports and $? from line to line', async () => {
    const s = await session()
    await s.run('A=1; export B=2; export C=3')
    await s.run('export -n C 2>/dev/null || true')
    expect((await s.run('echo "$A $B"; printenv B; printenv A || echo no-A')).stdout).toBe('1 2\n2\nno-A\n')
    await s.run('false')
    expect((await s.run('echo $?')).stdout).toBe('1\n')
    expect((await s.run('unset B; echo "[$B]"')).stdout).toBe('[]\n')
  })

  it('keeps functions and aliases, and shows the prompt with ~', async () => {
    const s = await session()
    await s.run('hello() { echo "hello $1"; }')
    await s.run("alias hi='hello there'")
    expect((await s.run('hi')).stdout).toBe('hello there\n')
    await s.run('cd /etc/kubernetes')
    expect(s.prompt()).toBe('root@controlplane:/etc/kubernetes# ')
    await s.run('cd')
    expect(s.prompt()).toBe('root@controlplane:~# ')
    expect((await s.run('alias')).stdout).not.toContain('__ckalab')
  })

  it('reads ~/.bashrc aliases in an interactive login shell but not in bash -s', async () => {
    const s = await session(true)
    expect((await s.run('alias k')).stdout).toBe("alias k='kubectl'\n")
    const plain = await session(false)
    expect((await plain.run('alias k')).status).not.toBe(0)
  })

  it('nests shells and exits them one at a time, with bash -s style errors', async () => {
    const s = await session()
    await s.run('export OUTER=1; INNER=1')
    await s.run('bash')
    expect(s.depth).toBe(2)
    expect((await s.run('echo "$OUTER[$INNER]"')).stdout).toBe('1[]\n')
    const back = await s.run('exit 3')
    expect(back.farewell).toBe('exit')
    expect(s.depth).toBe(1)
    expect((await s.run('echo $?')).stdout).toBe('3\n')
    const end = await s.run('exit')
    expect(end.exited).toBe(0)
    expect(end.farewell).toBe('logout')
  })

  it('answers syntax errors like bash and keeps going', async () => {
    const s = await session()
    const r = await s.run('fi')
    expect(r.stderr).toBe("bash: syntax error near unexpected token `fi'\n")
    expect(r.status).toBe(2)
    expect((await s.run('echo ok')).stdout).toBe('ok\n')
  })

  it('recognises the commands that start another shell', () => {
    expect(parseShellSwitch('su -')).toEqual({ replace: false, login: true, cleanEnv: true })
    expect(parseShellSwitch('exec bash')).toEqual({ replace: true, login: false, cleanEnv: false })
    expect(parseShellSwitch('bash -l')).toEqual({ replace: false, login: true, cleanEnv: false })
    expect(parseShellSwitch('sudo -i')).toEqual({ replace: false, login: true, cleanEnv: true })
    expect(parseShellSwitch('bash -c "echo hi"')).toBeUndefined()
    expect(parseShellSwitch('bash script.sh')).toBeUndefined()
  })
})
