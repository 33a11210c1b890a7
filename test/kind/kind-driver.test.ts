import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import {
  KindCapacityError,
  KindCreateError,
  KindDriver,
  NodeUnavailableError,
} from '../../simulator/src/drivers/kind'
import type { KindNode } from '../../simulator/src/drivers/kind/node'
import { COPY_ETCD_CLIENTS_SCRIPT } from '../../simulator/src/drivers/kind/prepared-image'
import type { Environment, Progress, TerminalStream } from '../../simulator/src/seam'
import {
  containersOf,
  createOnce,
  ensureDocker,
  ensureRealKind,
  FAKE_KIND,
  FIXTURE,
  IN_CI,
  keepKindOutput,
  networks,
  percentile,
  type RealKind,
  ROOT,
  removeCluster,
} from './harness'

// The kind driver with the real kind CLI (kind 0.27 from Debian) on a real
// Docker engine, with real Kubernetes 1.20 nodes (ckalab-kind/node, built
// from the shared fixture by scripts/ci/kind-images.sh). One single-node
// cluster is shared by most tests to keep the wall time down.

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`kind suite: ${docker.why}`)
const run = docker.ok ? describe : describe.skip

const PREFIX = 'ckalab-t'
const timings: Record<string, number> = {}
let kind: RealKind

function driver(extra: Partial<ConstructorParameters<typeof KindDriver>[0]> = {}): KindDriver {
  return new KindDriver({
    kindPath: kind.path,
    nodeImages: { '1.20': kind.nodeImage },
    clusterPrefix: PREFIX,
    onKindOutput: keepKindOutput,
    ...extra,
  })
}

/**
 * A node image whose kubeadm fails `init` the way a broken node would: kind gets as far as
 * "Starting control-plane" with the node containers made, then fails. Built once from the node image.
 */
function brokenNodeImage(): string {
  const tag = `${kind.nodeImage.replace('ckalab-kind/node', 'ckalab-kind/broken-node')}`
  if (spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status !== 0) {
    const dir = mkdtempSync(join(tmpdir(), 'ckalab-broken-node-'))
    writeFileSync(
      join(dir, 'kubeadm'),
      [
        '#!/bin/sh',
        'if [ "$1" = init ]; then echo "ckalab test: this node cannot run kubeadm init" >&2; exit 1; fi',
        'exec /usr/bin/kubeadm "$@"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    )
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${kind.nodeImage}\nCOPY kubeadm /usr/local/bin/kubeadm\n`)
    const b = spawnSync('docker', ['build', '-q', '-t', tag, dir], { encoding: 'utf8' })
    rmSync(dir, { recursive: true, force: true })
    if (b.status !== 0) throw new Error(`building ${tag} failed: ${b.stderr}`)
  }
  return tag
}

/** Collects a terminal's output as text until `pattern` appears. */
function expectOutput(term: TerminalStream, pattern: RegExp, ms = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const dec = new TextDecoder()
    let text = ''
    const t = setTimeout(() => {
      off()
      reject(new Error(`terminal never printed ${pattern}; got: ${JSON.stringify(text.slice(-400))}`))
    }, ms)
    const off = term.onData((b) => {
      text += dec.decode(b, { stream: true })
      if (pattern.test(text)) {
        clearTimeout(t)
        off()
        resolve(text)
      }
    })
  })
}

run('kind driver with the real kind CLI on a real Docker engine', () => {
  let d: KindDriver
  let env: Environment
  const progress: Progress[] = []

  beforeAll(async () => {
    const t0 = Date.now()
    kind = ensureRealKind()
    timings.kindAndImagesSeconds = (Date.now() - t0) / 1000
    d = driver()
    // leftovers of an interrupted earlier run would count against the capacity
    for (const name of spawnSync('docker', ['ps', '-a', '--format', '{{.Label "io.x-k8s.kind.cluster"}}'], {
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .filter((n) => n.startsWith(PREFIX))) {
      removeCluster(name)
    }
    const t = Date.now()
    let kindStarted = 0
    env = await createOnce(() => {
      progress.length = 0
      kindStarted = 0
      return d.create({ controlPlanes: 1, kubernetes: '1.20' }, (p) => {
        if (!kindStarted && p.step.startsWith('Creating cluster')) kindStarted = Date.now()
        progress.push(p)
      })
    })
    timings.createSeconds = (Date.now() - t) / 1000
    // 0 when the prepared image was cached by an earlier run
    timings.preparedImageSeconds = (kindStarted - t) / 1000
  }, 900_000)

  afterAll(async () => {
    if (env) {
      const name = d.clusterName(env.id)
      await env.dispose()
      expect(containersOf(name)).toEqual([])
    }
    console.log(`kind suite timings: ${JSON.stringify(timings)}`)
  }, 180_000)

  it('runs the real kind binary (its own version line) and probe says it and Docker are usable', async () => {
    expect(kind.version).toMatch(/^kind v0\.\d+\.\d+ go\d[\w.]* linux\/amd64$/)
    const ok = await d.probe()
    expect(ok.reason).toBeUndefined()
    expect(ok.ok).toBe(true)
    const missing = await driver({ kindPath: '/nonexistent/kind' }).probe()
    expect(missing.ok).toBe(false)
    expect(missing.reason).toMatch(
      /kind is not usable at \/nonexistent\/kind \(not found\); fix: install kind/,
    )
  })

  it('reports progress from kind step lines, monotone, ending at 1', () => {
    const steps = progress.map((p) => p.step)
    expect(steps).toContain(`Creating cluster ${d.clusterName(env.id)}`)
    // every step real kind 0.27 prints for one control plane, in its order
    const kindSteps = [
      'Ensuring node image',
      'Preparing nodes',
      'Writing configuration',
      'Starting control-plane',
      'Installing CNI',
      'Installing StorageClass',
      'Waiting for the control plane',
    ]
    const firstSeen = kindSteps.map((s) => steps.indexOf(s))
    expect(
      firstSeen.every((i) => i >= 0),
      steps.join(' | '),
    ).toBe(true)
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b))
    expect(steps.at(-1)).toBe('Cluster ready')
    const fractions = progress.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(fractions.at(-1)).toBe(1)
  })

  it('finds the nodes by the kind cluster label', () => {
    expect(env.driver).toBe('kind')
    expect(env.nodes.map((n) => [n.name, n.role])).toEqual([
      [`${d.clusterName(env.id)}-control-plane`, 'control-plane'],
    ])
  })

  it('exec: stdout and stderr apart, exit codes, stdin, env, cwd, timeout', async () => {
    const node = env.nodes[0]!
    expect(await node.exec('echo out; echo err >&2; exit 3')).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      exitCode: 3,
    })
    expect((await node.exec('hostname')).stdout.trim()).toBe(node.name)
    expect(await node.exec('tr a-z A-Z', { stdin: 'piped ✓\n' })).toMatchObject({
      stdout: 'PIPED ✓\n',
      exitCode: 0,
    })
    expect(
      (await node.exec('echo "$LAB_X" "$(pwd)"', { env: { LAB_X: 'v1' }, cwd: '/etc/kubernetes' })).stdout,
    ).toBe('v1 /etc/kubernetes\n')
    const large = await node.exec('head -c 3000000 /dev/zero | tr "\\0" a')
    expect(large.stdout.length).toBe(3_000_000)
    const t = Date.now()
    const slow = await node.exec('sleep 30', { timeoutMs: 1500 })
    expect(slow.timedOut).toBe(true)
    expect(slow.exitCode).toBe(124)
    expect(Date.now() - t).toBeLessThan(10_000)
    expect((await node.exec('pgrep -fx "sleep 30" || echo none')).stdout.trim()).toBe('none')

    const times: number[] = []
    for (let i = 0; i < 25; i++) {
      const s = performance.now()
      await node.exec('test -f /etc/kubernetes/manifests/etcd.yaml')
      times.push(performance.now() - s)
    }
    timings.execP50Ms = Math.round(percentile(times, 50))
    timings.execP99Ms = Math.round(percentile(times, 99))
    // the same check through the docker CLI, for scale on a loaded machine
    const cli: number[] = []
    for (let i = 0; i < 10; i++) {
      const s = performance.now()
      spawnSync('docker', ['exec', node.name, 'test', '-f', '/etc/kubernetes/manifests/etcd.yaml'])
      cli.push(performance.now() - s)
    }
    timings.dockerCliExecP50Ms = Math.round(percentile(cli, 50))
  })

  it('a real control plane answers through exec (kubectl, etcd static pod)', async () => {
    const r = await env.nodes[0]!.exec('kubectl get pods -n kube-system -o name')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(`pod/etcd-${env.nodes[0]!.name}`)
  })

  it('terminal: login shell, typing, resize, a UTF-8 character split across writes, exit', async () => {
    const node = env.nodes[0]!
    const term = await node.openTerminal({ cols: 100, rows: 30 })
    try {
      term.write('stty size; shopt -q login_shell && echo "login=yes"\r')
      const first = await expectOutput(term, /\nlogin=yes\r/)
      expect(first).toMatch(/30 100/)
      term.resize({ cols: 132, rows: 43 })
      await new Promise((r) => setTimeout(r, 300))
      term.write('stty size\r')
      await expectOutput(term, /43 132/)
      const bytes = new TextEncoder().encode('echo "mark:é€😀"\r')
      const waiting = expectOutput(term, /mark:é€😀\r?\n/)
      // split inside é, € and the emoji
      for (const cut of [
        [0, 12],
        [12, 14],
        [14, 17],
        [17, 20],
        [20, bytes.length],
      ] as const) {
        term.write(bytes.subarray(cut[0], cut[1]))
        await new Promise((r) => setTimeout(r, 30))
      }
      await waiting
      const exited = new Promise<number>((r) => term.onExit(r))
      term.write('exit 7\r')
      expect(await exited).toBe(7)
    } finally {
      term.dispose()
    }
  })

  it('terminal dispose ends the shell and what it runs', async () => {
    const node = env.nodes[0]!
    const term = await node.openTerminal({ cols: 80, rows: 24 })
    term.write('sleep 777\r')
    await new Promise((r) => setTimeout(r, 800))
    expect((await node.exec('pgrep -fx "sleep 777" | wc -l')).stdout.trim()).toBe('1')
    term.dispose()
    let left = '1'
    for (let i = 0; i < 20 && left !== '0'; i++) {
      await new Promise((r) => setTimeout(r, 250))
      left = (await node.exec('pgrep -fx "sleep 777" | wc -l')).stdout.trim()
    }
    expect(left).toBe('0')
  })

  it('readFile through the archive API, symlinks, tmpfs, missing files, directories', async () => {
    const node = env.nodes[0]!
    const manifest = new TextDecoder().decode(await node.readFile('/etc/kubernetes/manifests/etcd.yaml'))
    expect(manifest).toMatch(/--data-dir=\/var\/lib\/etcd/)
    await node.exec(
      'printf "\\x00\\xff\\x01" > /root/bin.dat; ln -sf /root/bin.dat /root/link; echo tmp > /tmp/in-tmpfs',
    )
    expect([...(await node.readFile('/root/bin.dat'))!]).toEqual([0, 255, 1])
    expect([...(await node.readFile('/root/link'))!]).toEqual([0, 255, 1])
    expect(new TextDecoder().decode(await node.readFile('/tmp/in-tmpfs'))).toBe('tmp\n')
    expect(await node.readFile('/nope/missing')).toBeUndefined()
    expect(await node.readFile('/etc/kubernetes')).toBeUndefined()
  })

  it('the prepared image adds etcdctl and editors; the fallback copies etcdctl out of the running etcd', async () => {
    const node = env.nodes[0] as KindNode
    expect(progress.some((p) => p.step.startsWith('Preparing node image'))).toBe(true)
    const image = spawnSync('docker', ['inspect', '-f', '{{.Config.Image}}', node.name], {
      encoding: 'utf8',
    }).stdout
    expect(image).toMatch(/^ckalab\/node:v1\.20\.2-tools-[0-9a-f]{10}$/m)
    expect((await node.exec('ETCDCTL_API=3 etcdctl version')).stdout).toMatch(/etcdctl version: 3\.4/)
    expect((await node.exec('command -v vim nano')).stdout).toBe('/usr/local/bin/vim\n/usr/bin/nano\n')
    const r = await node.exec(`rm -f /usr/local/bin/etcdctl; ${COPY_ETCD_CLIENTS_SCRIPT}`)
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect((await node.exec('command -v etcdctl && ETCDCTL_API=3 etcdctl version')).stdout).toMatch(
      /\/usr\/local\/bin\/etcdctl\netcdctl version: 3\.4/,
    )
  })

  it("the stand-in (fake-kind/) keeps the real binary's contract: flags, version, get clusters/kubeconfig, delete, a failed create, step lines", () => {
    const name = d.clusterName(env.id)
    const missing = `${PREFIX}nosuch`
    const both = (args: string[]) =>
      [kind.path, FAKE_KIND].map((bin) =>
        spawnSync(bin, args, {
          encoding: 'utf8',
          env: {
            ...process.env,
            CKALAB_KIND_FIXTURE: FIXTURE,
            KUBECONFIG: join(tmpdir(), `${missing}.kubeconfig`),
          },
          timeout: 120_000,
        }),
      )
    const [realVersion, fakeVersion] = both(['version'])
    for (const r of [realVersion!, fakeVersion!])
      expect(r.stdout).toMatch(/^kind v\d+\.\d+\.\d+ go\S+ linux\/amd64\n$/)

    // every flag the stand-in takes for `create cluster` is one of the real binary's
    const help = spawnSync(kind.path, ['create', 'cluster', '--help'], { encoding: 'utf8' }).stdout
    for (const flag of ['--name string', '--config string', '--image string', '--wait duration', '--retain'])
      expect(help).toContain(flag)

    // same clusters listed (only this suite's: other clusters on the engine may come and go meanwhile)
    const ours = (t: string) => t.split('\n').filter((l) => l.startsWith(PREFIX))
    const [realList, fakeList] = both(['get', 'clusters'])
    expect(ours(fakeList!.stdout)).toEqual(ours(realList!.stdout))
    expect(ours(realList!.stdout)).toContain(name)

    // the same kubeconfig for a cluster real kind made, outside and inside the kind network
    for (const extra of [[], ['--internal']]) {
      const [r, f] = both(['get', 'kubeconfig', '--name', name, ...extra])
      expect(r!.status).toBe(0)
      expect(parseYaml(f!.stdout)).toEqual(parseYaml(r!.stdout))
    }
    const [realNone, fakeNone] = both(['get', 'kubeconfig', '--name', missing])
    expect([fakeNone!.status, fakeNone!.stderr]).toEqual([realNone!.status, realNone!.stderr])
    const [realDelete, fakeDelete] = both(['delete', 'cluster', '--name', missing])
    expect([fakeDelete!.status, fakeDelete!.stderr]).toEqual([realDelete!.status, realDelete!.stderr])

    // a create that fails on its image: the same lines, kind's ERROR line included
    const [realFail, fakeFail] = both([
      'create',
      'cluster',
      '--name',
      missing,
      '--image',
      'ckalab-test/no-such-image:v0',
    ])
    expect(fakeFail!.status).toBe(realFail!.status)
    expect(fakeFail!.stderr.trim()).toBe(realFail!.stderr.trim())

    // the step lines of a successful single-node creation (real kind's, captured) are the stand-in's too
    const source = readFileSync(join(dirname(FAKE_KIND), 'fake-kind.mjs'), 'utf8')
    const realSteps = readFileSync(
      join(ROOT, 'simulator/src/drivers/kind/testdata/real-kind-0.27.0-create-one-control-plane.txt'),
      'utf8',
    )
      .split('\n')
      .filter((l) => l.startsWith(' ✓ '))
      .map((l) =>
        l
          .slice(3)
          .replace(/\(.*\)/, '(')
          .replace(/≤ \S+/, '≤ ')
          .trimEnd(),
      )
    expect(realSteps).toHaveLength(7)
    for (const text of realSteps) {
      // the image, the wait and one 📦 per node are filled in at run time
      const pieces = text.split(/\(|≤ | 📦/).filter((p) => p.trim())
      for (const piece of pieces)
        expect(source, `the stand-in lacks kind's step "${text}"`).toContain(piece.trim())
    }
  })

  it('adopt re-attaches a new driver instance (a server restart) to the live cluster', async () => {
    const again = driver()
    const adopted = await again.adopt(env.id)
    expect(adopted).toBeDefined()
    expect(adopted!.spec).toEqual({ controlPlanes: 1, workers: 0, kubernetes: '1.20' })
    expect(adopted!.nodes.map((n) => n.name)).toEqual(env.nodes.map((n) => n.name))
    expect((await adopted!.nodes[0]!.exec('echo adopted')).stdout).toBe('adopted\n')
    expect(await again.adopt('does-not-exist')).toBeUndefined()
  })

  it('refuses a new cluster at capacity, clearly, leaving nothing behind', async () => {
    const small = driver({ maxClusters: 1 })
    const before = spawnSync('docker', ['ps', '-aq'], { encoding: 'utf8' }).stdout
    await expect(small.create({ controlPlanes: 1, kubernetes: '1.20' })).rejects.toThrow(KindCapacityError)
    await expect(small.create({ controlPlanes: 1, kubernetes: '1.20' })).rejects.toThrow(
      /at capacity: 1 of 1 real clusters are in use/,
    )
    expect(spawnSync('docker', ['ps', '-aq'], { encoding: 'utf8' }).stdout).toBe(before)
  })

  it('refuses Kubernetes 1.20 on kind 0.27 without a node image for it, saying what to do', async () => {
    const noImage = new KindDriver({ kindPath: kind.path, clusterPrefix: PREFIX })
    await expect(noImage.create({ controlPlanes: 1, kubernetes: '1.20' })).rejects.toThrow(
      /kind v0\.\d+\.\d+ no longer supports Kubernetes 1\.20 .*set a node image for 1\.20/,
    )
  })

  it('a missing node image: kind fails pulling it, its own last lines are shown, nothing is left', async () => {
    const nets = networks()
    const broken = driver({ nodeImages: { '1.20': 'ckalab-test/no-such-image:v0' } })
    const err = await broken.create({ controlPlanes: 1, kubernetes: '1.20' }).catch((e) => e)
    expect(err).toBeInstanceOf(KindCreateError)
    expect(err.message).toMatch(/kind could not create the cluster ckalab-t\w+ \(exit 1\)/)
    // kind's own lines, as kind 0.27 prints them
    expect(err.message).toContain(' ✗ Ensuring node image (ckalab-test/no-such-image:v0) 🖼')
    expect(err.message).toMatch(
      /ERROR: failed to create cluster: failed to pull image "ckalab-test\/no-such-image:v0": command "docker pull ckalab-test\/no-such-image:v0" failed with error: exit status 1/,
    )
    expect(containersOf(err.message.match(/cluster (ckalab-t\w+)/)[1])).toEqual([])
    expect(networks()).toEqual(nets)
  })

  it("a half-made cluster (kubeadm init fails after the nodes exist): kind's error shown, nothing left", async () => {
    const image = brokenNodeImage()
    const nets = networks()
    const broken = driver({ nodeImages: { '1.20': image }, prepareImages: false })
    const t = Date.now()
    const err = await broken.create({ controlPlanes: 1, kubernetes: '1.20' }).catch((e) => e)
    timings.failedCreateSeconds = (Date.now() - t) / 1000
    expect(err).toBeInstanceOf(KindCreateError)
    expect(err.message).toContain(' ✓ Preparing nodes 📦')
    expect(err.message).toContain(' ✗ Starting control-plane 🕹️')
    expect(err.message).toMatch(/ERROR: failed to create cluster: failed to init node with kubeadm/)
    expect(err.message).toContain('ckalab test: this node cannot run kubeadm init')
    expect(containersOf(err.message.match(/cluster (ckalab-t\w+)/)[1])).toEqual([])
    expect(networks()).toEqual(nets)
  })

  it('Ctrl-C during creation (abort) deletes the half-made cluster', async () => {
    const ac = new AbortController()
    let name = ''
    const pending = d.create(
      { controlPlanes: 1, kubernetes: '1.20' },
      (p) => {
        const m = /^Creating cluster (\S+)/.exec(p.step)
        if (m) name = m[1]!
        if (p.step === 'Starting control-plane') ac.abort()
      },
      ac.signal,
    )
    await expect(pending).rejects.toThrow(/abort|cancel/i)
    expect(name).toMatch(/^ckalab-t/)
    expect(containersOf(name)).toEqual([])
  })

  it('the reaper removes a half-made cluster real kind left behind (--retain), and spares the live one', async () => {
    const orphan = `${PREFIX}orphan1`
    // what a ckalab process that died mid-creation leaves: kind's own half-made cluster
    const made = spawnSync(
      kind.path,
      ['create', 'cluster', '--name', orphan, '--image', brokenNodeImage(), '--retain'],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(tmpdir(), `${orphan}.kubeconfig`) } },
    )
    expect(made.status).toBe(1)
    expect(containersOf(orphan)).toEqual([`${orphan}-control-plane`])
    expect(await d.reap([env.id], { minAgeMs: 60_000 })).toEqual([]) // too young: maybe being created elsewhere
    mkdirSync(join(tmpdir(), 'ckalab-kind', `${PREFIX}stale-dir`), { recursive: true })
    expect(await d.reap([env.id], { minAgeMs: 0 })).toEqual([orphan])
    expect(existsSync(join(tmpdir(), 'ckalab-kind', `${PREFIX}stale-dir`))).toBe(false)
    expect(existsSync(join(tmpdir(), 'ckalab-kind', d.clusterName(env.id)))).toBe(true)
    expect(containersOf(orphan)).toEqual([])
    expect(containersOf(d.clusterName(env.id))).toHaveLength(1)
    const clusters = spawnSync(kind.path, ['get', 'clusters'], { encoding: 'utf8' }).stdout.split('\n')
    expect(clusters).not.toContain(orphan)
    expect(clusters).toContain(d.clusterName(env.id))
  })

  it('a node container that dies mid-lab gives a clear NodeUnavailableError, not a hang', async () => {
    const id = 'dies1'
    // a node-shaped container (kind's name and labels) is enough here: this is about the container dying
    spawnSync(
      'docker',
      [
        'run',
        '-d',
        '--name',
        `${PREFIX}${id}-control-plane`,
        '--label',
        `io.x-k8s.kind.cluster=${PREFIX}${id}`,
        '--label',
        'io.x-k8s.kind.role=control-plane',
        '--entrypoint',
        'sleep',
        kind.nodeImage,
        'infinity',
      ],
      { stdio: 'ignore' },
    )
    try {
      const adopted = await d.adopt(id)
      const node = adopted!.nodes[0]!
      expect((await node.exec('echo alive')).stdout).toBe('alive\n')
      spawnSync('docker', ['kill', node.name], { stdio: 'ignore' })
      await expect(node.exec('echo alive')).rejects.toThrow(NodeUnavailableError)
      await expect(node.openTerminal({ cols: 80, rows: 24 })).rejects.toThrow(
        /is not available \(container is not running\); reset the attempt/,
      )
      await adopted!.dispose()
      expect(containersOf(`${PREFIX}${id}`)).toEqual([])
    } finally {
      removeCluster(`${PREFIX}${id}`)
    }
  })
})
