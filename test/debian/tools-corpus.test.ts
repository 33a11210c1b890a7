import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import type { ProfileId } from '../../simulator/src/seam'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import { standardParts } from '../../simulator/src/sim/standard'

// Replays every case of corpus/tools/ (captured from real Debian 12 tools by
// capture-tools.mjs) on a simulated node and compares stdout, stderr and the
// exit code after normalising only what legitimately varies between two
// machines: ids, times, sizes, PIDs and addresses.

interface Case {
  command: string
  setup?: string[]
  profile?: ProfileId
  stdout: string
  stderr: string
  exitCode: number
  captured: string
  normalize?: string[]
}

const NODE_IP = /\b172\.(?:18\.0|30\.1)\.\d+\b/g

/** What may differ between the machine a case was captured on and the simulated node. */
const NORMALIZERS: Record<string, (s: string) => string> = {
  // Process ids and file descriptor numbers.
  pids: (s) => s.replace(/pid=\d+,fd=\d+/g, 'pid=N,fd=N').replace(/^\d+ /gm, 'PID '),
  // The node's address on its network (kind's docker network vs the simulated one).
  'node-ip': (s) => s.replace(NODE_IP, 'NODE_IP'),
  // Column padding that depends on the width of values normalised away.
  'trailing-space': (s) => s.replace(/ +$/gm, ''),
  // Column widths that follow the size of the numbers in them (df).
  spaces: (s) => s.replace(/ +/g, ' '),
  // Kernel socket-table order.
  'sort-lines': (s) => {
    const lines = s.split('\n')
    const last = lines.pop()
    return [...lines.sort(), last].join('\n')
  },
  // Clock, uptime, logged-in users and load.
  uptime: (s) =>
    s.replace(
      /\d\d:\d\d:\d\d up .*?, +\d+ users?, +load average: [\d.]+, [\d.]+, [\d.]+/,
      'HH:MM:SS up UPTIME, USERS, load average: L, L, L',
    ),
  // Sizes (free, df): every number and its unit.
  numbers: (s) => s.replace(/ +\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|B|K|M|G)?(?= |$)/gm, ' N'),
  // Certificate validity (depends on when the cluster was set up).
  dates: (s) => s.replace(/[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT/g, 'DATE'),
  'kubeadm-dates': (s) =>
    s
      .replace(/[A-Z][a-z]{2} \d\d, \d{4} \d\d:\d\d UTC/g, 'DATE')
      .replace(/\b\d+[smhdy] +(?=\S)/g, 'RESIDUAL '),
  // Random serial numbers and key identifiers of a certificate.
  serial: (s) => s.replace(/Serial Number: \d+ \(0x[0-9a-f]+\)/g, 'Serial Number: N'),
  'key-ids': (s) => s.replace(/(?:[0-9A-F]{2}:){19}[0-9A-F]{2}/g, 'KEYID'),
  // OpenSSL's thread id, source line numbers and patch release.
  'openssl-errors': (s) =>
    s
      .replace(/^[0-9A-F]{12,16}:error/gm, 'TID:error')
      .replace(/\.c:\d+:/g, '.c:N:')
      .replace(/OpenSSL\/3\.0\.\d+/g, 'OpenSSL/3.0.x'),
  // curl's progress meter (speeds and timings).
  'curl-progress': (s) => s.replace(/ {2}% Total[\s\S]*?(?:--:--:-- +\d+\n|$)(?=[^\r]*$)/, 'PROGRESS\n'),
  ms: (s) => s.replace(/after \d+ ms/g, 'after N ms'),
  // etcd's patch release (the fixture runs Debian's 3.4.23, kubeadm 1.20 pins 3.4.13).
  'etcd-version': (s) => s.replace(/3\.4\.\d+/g, '3.4.x'),
  // The Go release a binary was built with (Debian rebuilt the fixture's kubeadm).
  'go-version': (s) => s.replace(/go1\.\d+\.\d+/g, 'go1.x'),
  // bash -c names the line of its script in errors; an interactive shell does not.
  'bash-line': (s) => s.replace(/^bash: line \d+: /gm, 'bash: '),
}

const dir = join(__dirname, 'corpus/tools')
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
const clusters = new Map<ProfileId, Promise<SimCluster>>()

function clusterFor(profile: ProfileId): Promise<SimCluster> {
  let c = clusters.get(profile)
  if (!c) {
    // Named like the fixture's cluster, so node names in outputs agree.
    c = createSimCluster(
      { controlPlanes: 1, kubernetes: profile, name: 'i11tools' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    clusters.set(profile, c)
  }
  return c
}

afterAll(async () => {
  for (const c of clusters.values()) (await c).dispose?.()
})

function normalize(text: string, names: string[] = []): string {
  let out = text
  for (const n of names) {
    const f = NORMALIZERS[n]
    if (!f) throw new Error(`unknown normaliser ${n}`)
    out = f(out)
  }
  return out
}

describe('everyday tools against real Debian 12 captures', () => {
  it('has a corpus of at least 40 cases, each saying how it was captured', () => {
    expect(files.length).toBeGreaterThanOrEqual(40)
    for (const f of files)
      expect((YAML.parse(readFileSync(join(dir, f), 'utf8')) as Case).captured).toBeTruthy()
  })

  for (const file of files) {
    const c = YAML.parse(readFileSync(join(dir, file), 'utf8')) as Case
    it(`${file.replace(/\.yaml$/, '')}: ${c.command}`, async () => {
      const cluster = await clusterFor(c.profile ?? '1.20')
      const node = cluster.nodes[0]
      if (!node) throw new Error('no node')
      const script = [...(c.setup ?? []), c.command].join('\n')
      const r = await node.exec(script, { cwd: '/tmp' })
      const n = c.normalize
      expect({
        stdout: normalize(r.stdout, n),
        stderr: normalize(r.stderr, n),
        exitCode: r.exitCode,
      }).toEqual({
        stdout: normalize(c.stdout, n),
        stderr: normalize(c.stderr, n),
        exitCode: c.exitCode,
      })
    })
  }
})
