import { describe, expect, it } from 'vitest'
import type { ExecOptions, ExecResult } from '../../seam'
import {
  type AccessNode,
  KEY_PAIR_SCRIPT,
  NO_SSH_EXIT,
  parseKeyPair,
  setUpNodeAccess,
  sshClientConfig,
  verifyScript,
} from './node-access'

const PRIVATE = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'
const PUBLIC = 'ssh-ed25519 AAAAC3Nza root@lab-control-plane'

type Answer = (cmd: string, opts?: ExecOptions) => Partial<ExecResult>

/** A node that records what it was asked to run and answers from `answer`. */
function fakeNode(name: string, answer: Answer) {
  const calls: Array<{ cmd: string; opts?: ExecOptions }> = []
  const node: AccessNode = {
    name,
    async exec(cmd, opts) {
      calls.push({ cmd, opts })
      return { stdout: '', stderr: '', exitCode: 0, ...answer(cmd, opts) }
    },
  }
  return { node, calls }
}

const healthy: Answer = (cmd) => (cmd === KEY_PAIR_SCRIPT ? { stdout: `${PRIVATE}${PUBLIC}\n` } : {})

describe('ssh client config', () => {
  it('names every node by name and address, as root with the cluster key, without prompts or known-hosts noise', () => {
    const text = sshClientConfig([
      { name: 'lab-control-plane', ip: '172.18.0.2' },
      { name: 'lab-control-plane2', ip: '172.18.0.3' },
      { name: 'lab-worker' },
    ])
    expect(text).toContain('Host lab-control-plane 172.18.0.2 lab-control-plane2 172.18.0.3 lab-worker\n')
    expect(text).toContain('  User root\n')
    expect(text).toContain('  IdentityFile /root/.ssh/id_ed25519\n')
    expect(text).toContain('  StrictHostKeyChecking no\n')
    expect(text).toContain('  UserKnownHostsFile /dev/null\n')
    expect(text).toContain('  LogLevel ERROR\n')
  })
})

describe('key pair output', () => {
  it('splits the private key from the public key', () => {
    expect(parseKeyPair(`${PRIVATE}${PUBLIC}\n`)).toEqual({ privateKey: PRIVATE, publicKey: PUBLIC })
  })

  it('rejects output without both keys', () => {
    expect(parseKeyPair(PRIVATE)).toBeUndefined()
    expect(parseKeyPair(`${PUBLIC}\n`)).toBeUndefined()
    expect(parseKeyPair('')).toBeUndefined()
  })
})

describe('setting up ssh between nodes', () => {
  it('makes the key on the first node, installs it everywhere with the private key on stdin, then tries ssh', async () => {
    const nodes = ['cp', 'cp2', 'cp3'].map((n) => fakeNode(n, healthy))
    const r = await setUpNodeAccess(
      nodes.map((n) => n.node),
      [{ name: 'cp', ip: '10.0.0.2' }],
    )
    expect(r).toEqual({ ok: true, nodes: ['cp', 'cp2', 'cp3'] })
    const first = nodes[0]!.calls
    expect(first[0]!.cmd).toBe(KEY_PAIR_SCRIPT)
    for (const n of nodes) {
      const setup = n.calls.find((c) => c.cmd.includes('authorized_keys'))
      expect(setup?.opts?.stdin).toBe(PRIVATE)
      expect(setup?.cmd).toContain(PUBLIC)
      expect(setup?.cmd).toContain('Host cp 10.0.0.2')
      // the private key never appears in a command line
      expect(n.calls.some((c) => c.cmd.includes('AAAA\n'))).toBe(false)
    }
    expect(first.at(-1)!.cmd).toBe(verifyScript(['cp2', 'cp3']))
  })

  it('starts sshd through systemd where it runs, else on its own', async () => {
    const n = fakeNode('cp', healthy)
    await setUpNodeAccess([n.node], [{ name: 'cp' }])
    const setup = n.calls.find((c) => c.cmd.includes('authorized_keys'))!.cmd
    expect(setup).toMatch(/\[ -d \/run\/systemd\/system \].*systemctl restart ssh\.service/s)
    expect(setup).toMatch(/mkdir -p \/run\/sshd.*\/usr\/sbin\/sshd/s)
  })

  it('says clearly when the nodes have no ssh (no prepared image), without throwing', async () => {
    const n = fakeNode('lab-control-plane', () => ({
      exitCode: NO_SSH_EXIT,
      stderr: 'missing: ssh ssh-keygen sshd\n',
    }))
    const r = await setUpNodeAccess([n.node, fakeNode('lab-control-plane2', healthy).node], [])
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toContain('ssh is not installed on lab-control-plane (missing: ssh ssh-keygen sshd)')
    expect(r.reason).toContain('`ssh <node>` and `scp` between the nodes will not work')
  })

  it('reports a node where the setup fails, and an sshd that does not answer', async () => {
    const broken = fakeNode('cp2', (cmd) =>
      cmd.includes('authorized_keys') ? { exitCode: 1, stderr: 'disk full\n' } : {},
    )
    let r = await setUpNodeAccess([fakeNode('cp', healthy).node, broken.node], [])
    expect(r).toEqual({ ok: false, reason: 'could not set up ssh on cp2: disk full' })

    const noAnswer = fakeNode('cp', (cmd, o) =>
      cmd === KEY_PAIR_SCRIPT
        ? { stdout: `${PRIVATE}${PUBLIC}\n` }
        : cmd.startsWith('try()') && o
          ? { exitCode: 1, stderr: 'ssh cp2: Connection refused\n' }
          : {},
    )
    r = await setUpNodeAccess([noAnswer.node, fakeNode('cp2', healthy).node], [])
    expect(r).toEqual({ ok: false, reason: 'ssh from cp did not work: ssh cp2: Connection refused' })
  })

  it('turns an exec error into a result', async () => {
    const node: AccessNode = {
      name: 'cp',
      exec: async () => {
        throw new Error('node cp is not available (container is not running)')
      },
    }
    expect(await setUpNodeAccess([node], [])).toEqual({
      ok: false,
      reason: 'could not set up ssh between the nodes: node cp is not available (container is not running)',
    })
  })
})
