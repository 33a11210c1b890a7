import { execFile, spawnSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { KindDriver } from '../../simulator/src/drivers/kind'
import type { KindNode } from '../../simulator/src/drivers/kind/node'
import type { Environment, TerminalStream } from '../../simulator/src/seam'
import { percentile } from './stats'

// Real kind nodes (the Kubernetes 1.20 fixture and the kind CLI stand-in):
// - exec latency of a check's command, p50/p99;
// - terminal throughput: `cat` of a 50 MB file through ckalab's TerminalStream
//   against the same command read straight from a Docker exec with a TTY;
// - "start" to a shell prompt through the driver against the fixture's own
//   bring-up (run-node.sh + start-control-plane.sh) of the same node.
// Needs a Docker engine and the fixture image; without them it says so and
// returns no figures (a benchmark, not a test).

const run = promisify(execFile)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const FIXTURE = process.env.CKALAB_KIND_FIXTURE ?? resolve(ROOT, '../shared/fixtures/kind-node-1.20')
const NODE_IMAGE = process.env.CKALAB_TEST_NODE_IMAGE ?? 'ckalab-test/node:v1.20.2'
const FAKE_KIND = resolve(ROOT, 'test/kind/fake-kind/kind')
const PREFIX = 'ckalab-b'
const FILE = '/root/ckalab-bench.txt'
const FILE_BYTES = 50_000_000
const CHECK = 'crictl ps --name etcd --state running -q; cat /etc/kubernetes/manifests/etcd.yaml >/dev/null'
const PROMPT = /\S+@[^\s:]+:[^\n]*[#$] $/

function missing(): string | undefined {
  if (spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status !== 0)
    return 'no Docker engine answers (`docker info` failed); start Docker (scripts/ci/install-docker.sh as root)'
  if (spawnSync('docker', ['image', 'inspect', NODE_IMAGE], { stdio: 'ignore' }).status !== 0)
    return `the fixture node image ${NODE_IMAGE} is not built; run ${FIXTURE}/build-node-image.sh`
  return undefined
}

/** Bytes of output until `marker` shows up, and the seconds it took. */
function drainTerminal(
  term: TerminalStream,
  command: string,
  marker: string,
): Promise<{ bytes: number; s: number }> {
  return new Promise((done) => {
    const enc = new TextEncoder()
    const tail = enc.encode(marker)
    let bytes = 0
    let last = new Uint8Array(0)
    const t0 = performance.now()
    const off = term.onData((d) => {
      bytes += d.length
      const joined = new Uint8Array(last.length + d.length)
      joined.set(last)
      joined.set(d, last.length)
      last = joined.slice(-256)
      if (Buffer.from(last).includes(Buffer.from(tail))) {
        off()
        done({ bytes, s: (performance.now() - t0) / 1000 })
      }
    })
    term.write(`${command}\r`)
  })
}

function waitPrompt(term: TerminalStream, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = ''
    const dec = new TextDecoder()
    const t = setTimeout(() => {
      off()
      reject(new Error(`no prompt within ${ms} ms; got ${JSON.stringify(text.slice(-200))}`))
    }, ms)
    const off = term.onData((d) => {
      text = (text + dec.decode(d, { stream: true })).slice(-400).replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
      if (PROMPT.test(text)) {
        clearTimeout(t)
        off()
        resolve()
      }
    })
  })
}

/** The same `cat` through a Docker exec with a TTY, read directly: the ceiling for the terminal path. */
async function directExec(docker: Docker, containerId: string): Promise<{ bytes: number; s: number }> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: ['cat', FILE],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  })
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true })
  const t0 = performance.now()
  let bytes = 0
  await new Promise<void>((done, fail) => {
    stream.on('data', (d: Buffer) => {
      bytes += d.length
    })
    stream.on('end', done)
    stream.on('close', done)
    stream.on('error', fail)
  })
  return { bytes, s: (performance.now() - t0) / 1000 }
}

async function fixtureBringUp(name: string): Promise<number> {
  const t0 = performance.now()
  try {
    const { stdout } = await run(resolve(FIXTURE, 'run-node.sh'), [name, '1', NODE_IMAGE])
    await run(resolve(FIXTURE, 'start-control-plane.sh'), [stdout.trim()], { timeout: 600_000 })
    return (performance.now() - t0) / 1000
  } finally {
    const ids = spawnSync('docker', ['ps', '-aq', '--filter', `label=io.x-k8s.kind.cluster=${name}`], {
      encoding: 'utf8',
    }).stdout.split('\n')
    if (ids.some(Boolean))
      spawnSync('docker', ['rm', '-f', '-v', ...ids.filter(Boolean)], { stdio: 'ignore' })
  }
}

export async function benchKind(): Promise<Record<string, number>> {
  const why = missing()
  if (why) {
    process.stdout.write(`  skipped: ${why}\n`)
    return {}
  }
  const docker = new Docker()
  const driver = new KindDriver({
    kindPath: FAKE_KIND,
    nodeImages: { '1.20': NODE_IMAGE },
    clusterPrefix: PREFIX,
  })
  const figures: Record<string, number> = {}

  // the fixture's own bring-up first, so the driver's run below finds the prepared image cached
  figures.fixtureBringUpS = await fixtureBringUp(`${PREFIX}-fixture`)

  let env: Environment | undefined
  try {
    const t0 = performance.now()
    env = await driver.create({ controlPlanes: 1, workers: 0, kubernetes: '1.20' })
    const node = env.nodes[0] as KindNode
    const term = await node.openTerminal({ cols: 200, rows: 50 })
    await waitPrompt(term)
    figures.kindStartToPromptS = (performance.now() - t0) / 1000
    figures.kindStartOverheadRatio = figures.kindStartToPromptS / figures.fixtureBringUpS

    const lat: number[] = []
    for (let i = 0; i < 40; i++) {
      const s = performance.now()
      await node.exec(CHECK)
      lat.push(performance.now() - s)
    }
    figures.kindExecP50Ms = percentile(lat, 50)
    figures.kindExecP99Ms = percentile(lat, 99)

    // base64 text: a terminal shows it as is
    const gen = await node.exec(`head -c ${(FILE_BYTES / 4) * 3} /dev/urandom | base64 -w 100 > ${FILE}`, {
      timeoutMs: 120_000,
    })
    if (gen.exitCode !== 0) throw new Error(`could not write ${FILE}: ${gen.stderr}`)
    const direct = await directExec(docker, node.containerId)
    const viaTerm = await drainTerminal(term, `cat ${FILE}; echo CKALAB-''END`, 'CKALAB-END')
    term.dispose()
    figures.kindDirectMBps = direct.bytes / 1e6 / direct.s
    figures.kindTerminalMBps = viaTerm.bytes / 1e6 / viaTerm.s
    figures.kindTerminalThroughputRatio = figures.kindTerminalMBps / figures.kindDirectMBps
    // the TTY turns each \n into \r\n in both paths; fewer bytes through the terminal means lost output
    figures.kindTerminalLostBytes = Math.max(0, direct.bytes - viaTerm.bytes)
  } finally {
    await env?.dispose()
  }
  return figures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchKind().then(
    (f) => {
      for (const [k, v] of Object.entries(f)) process.stdout.write(`${k}\t${v.toFixed(3)}\n`)
    },
    (e) => {
      process.stderr.write(`bench kind: ${(e as Error).message}\n`)
      process.exitCode = 1
    },
  )
}
