import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Driver, Environment } from '../../simulator/src/seam'

// Prerequisites of the kind suite: a Docker engine and the fixture node image.
// In CI (CI=true) a missing prerequisite fails the suite; elsewhere it skips.

const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(HERE, '../..')
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

/** Builds the fixture node image once (cached by name); returns the seconds it took, 0 when cached. */
export function ensureNodeImage(): number {
  if (hasImage(NODE_IMAGE)) return 0
  if (!existsSync(FIXTURE))
    throw new Error(`the kind-node fixture is missing at ${FIXTURE}; set CKALAB_KIND_FIXTURE`)
  const t = Date.now()
  execFileSync(resolve(FIXTURE, 'build-node-image.sh'), { stdio: 'inherit', timeout: 900_000 })
  return (Date.now() - t) / 1000
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

/**
 * The fixture's kubeadm bring-up sometimes outlasts its own wait on a busy
 * machine ("control plane did not come up"); the driver has already cleaned
 * up, so one more attempt is honest. Any other failure is a real one.
 */
export async function createOnce<T>(create: () => Promise<T>, log = console.warn): Promise<T> {
  try {
    return await create()
  } catch (e) {
    if (!/control plane did not come up/.test(String(e))) throw e
    log(`kind cluster creation failed, retrying once: ${String(e).split('\n')[0]}`)
    return create()
  }
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
