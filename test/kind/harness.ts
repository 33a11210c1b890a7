import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Driver, Environment } from '../../simulator/src/seam'

// Prerequisites of the kind suite: a Docker engine, the real kind CLI (Debian trixie's kind 0.27,
// scripts/ci/install-kind.sh), its node and load-balancer images (scripts/ci/kind-images.sh) and an engine
// on which kind's privileged nodes start (scripts/ci/kind-runtime.sh). Each is cached, so asking again is
// cheap. In CI (CI=true) a missing prerequisite fails the suite; elsewhere it skips.

const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(HERE, '../..')
/** The stand-in for the kind CLI: only its contract test uses it (see fake-kind/). */
export const FAKE_KIND = resolve(HERE, 'fake-kind/kind')
export const FIXTURE = process.env.CKALAB_KIND_FIXTURE ?? resolve(ROOT, '../shared/fixtures/kind-node-1.20')
export const NODE_IMAGE = process.env.CKALAB_TEST_NODE_IMAGE ?? 'ckalab-test/node:v1.20.2'
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

function dockerAnswers(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0
}

/** Starts (and as root on Debian, installs) Docker when it does not answer. */
export function ensureDocker(): { ok: true } | { ok: false; why: string } {
  if (dockerAnswers()) return { ok: true }
  const r = spawnSync('bash', [resolve(ROOT, 'scripts/ci/install-docker.sh')], {
    encoding: 'utf8',
    timeout: 600_000,
  })
  if (r.status === 0 && dockerAnswers()) return { ok: true }
  return {
    ok: false,
    why: `no Docker engine: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}`,
  }
}

export function hasImage(ref: string): boolean {
  return spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0
}

export function containersOf(cluster: string): string[] {
  const r = spawnSync(
    'docker',
    ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`, '--format', '{{.Names}}'],
    {
      encoding: 'utf8',
    },
  )
  return r.stdout.split('\n').filter(Boolean)
}

export function removeCluster(cluster: string): void {
  const names = containersOf(cluster)
  if (names.length) spawnSync('docker', ['rm', '-f', '-v', ...names], { stdio: 'ignore' })
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

/** Every kind cluster on the engine (by container label), with when its newest container was made (ms). */
export function kindClusters(): Array<{ name: string; createdMs: number }> {
  const r = spawnSync(
    'docker',
    [
      'ps',
      '-a',
      '--filter',
      'label=io.x-k8s.kind.cluster',
      '--format',
      '{{.Label "io.x-k8s.kind.cluster"}}\t{{.CreatedAt}}',
    ],
    { encoding: 'utf8' },
  )
  const newest = new Map<string, number>()
  for (const line of r.stdout.split('\n')) {
    const [name, created] = line.split('\t')
    if (!name || !created) continue
    // "2024-05-01 10:00:00 +0000 UTC"
    const at = Date.parse(
      created
        .replace(/ [A-Z]+$/, '')
        .replace(' ', 'T')
        .replace(' ', ''),
    )
    newest.set(name, Math.max(newest.get(name) ?? 0, Number.isNaN(at) ? 0 : at))
  }
  return [...newest].map(([name, createdMs]) => ({ name, createdMs }))
}

/** Hands one live cluster to several replays (tryLab); the test that made it deletes it at the end. */
export function sharedCluster(env: Environment): Driver {
  return {
    name: env.driver,
    probe: async () => ({ ok: true }),
    create: async () => ({
      id: env.id,
      driver: env.driver,
      spec: env.spec,
      nodes: env.nodes,
      settle: (ms) => env.settle(ms),
      dispose: async () => undefined,
    }),
  }
}

export interface RealKind {
  /** The kind binary. */
  path: string
  /** `kind version` as kind prints it, e.g. `kind v0.27.0 go1.24.4 linux/amd64`. */
  version: string
  /** The node image for Kubernetes 1.20 (ckalab-kind/node:v1.20.2-<recipe hash>). */
  nodeImage: string
}

let realKind: RealKind | undefined

function script(name: string, args: string[] = []): string {
  const r = spawnSync('bash', [resolve(ROOT, 'scripts/ci', name), ...args], {
    encoding: 'utf8',
    timeout: 900_000,
  })
  if (r.status !== 0)
    throw new Error(
      `scripts/ci/${name} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || String(r.error ?? '')).trim()}`,
    )
  return r.stdout.trim().split('\n').pop() ?? ''
}

/**
 * The real kind CLI and its images, ready to create clusters: set by scripts/test.sh through
 * CKALAB_TEST_KIND / CKALAB_TEST_KIND_NODE_IMAGE, otherwise installed and built here (cached). Fails with
 * what to do when kind's privileged node containers cannot start on this engine. Logs kind's version line.
 */
export function ensureRealKind(): RealKind {
  if (realKind) return realKind
  const path = process.env.CKALAB_TEST_KIND || script('install-kind.sh')
  const nodeImage = process.env.CKALAB_TEST_KIND_NODE_IMAGE || script('kind-images.sh')
  const check = spawnSync('bash', [resolve(ROOT, 'scripts/ci/kind-runtime.sh'), 'check', nodeImage], {
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (check.status !== 0)
    throw new Error(
      `kind's privileged node containers cannot start on this Docker engine:\n${check.stderr.trim()}\n` +
        'register the runtime wrapper (as root): bash scripts/ci/kind-runtime.sh install ' +
        `${nodeImage} (scripts/test.sh does this for the engine it started, and removes it at the end)`,
    )
  const version = execFileSync(path, ['version'], { encoding: 'utf8' }).trim()
  console.log(`real kind: ${path}: ${version}; node image ${nodeImage}`)
  realKind = { path, version, nodeImage }
  return realKind
}

/**
 * Known bring-up flakes of real kind on a loaded 2-core machine: kubeadm's wait for the control plane
 * (4 min) or a join outlasted, or the node's first log line came late. One retry is honest (the driver
 * removed the half-made cluster); it is logged. Any other failure is a real one.
 */
export const KNOWN_BRINGUP_FLAKE =
  /failed to (init|join) node with kubeadm|timed out waiting for the condition|could not find a log line that matches/

export async function createOnce<T>(create: () => Promise<T>, log = console.warn): Promise<T> {
  try {
    return await create()
  } catch (e) {
    if (!KNOWN_BRINGUP_FLAKE.test(String(e))) throw e
    log(`kind cluster creation failed (known bring-up flake), retrying once: ${String(e).slice(0, 2000)}`)
    return create()
  }
}

/** Docker networks by name, to show that a failed creation left none behind. */
export function networks(): string[] {
  const r = spawnSync('docker', ['network', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' })
  return r.stdout.split('\n').filter(Boolean).sort()
}

/** Keeps kind's own output of each creation in test-results/kind-output/<cluster>.txt (CI artifacts). */
export function keepKindOutput(cluster: string, chunk: string): void {
  const dir = resolve(ROOT, 'test-results/kind-output')
  mkdirSync(dir, { recursive: true })
  appendFileSync(resolve(dir, `${cluster}.txt`), chunk)
}
