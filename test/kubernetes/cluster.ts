import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// A real Kubernetes 1.20 API server for the kubernetes driver's suite: the kind-node-1.20 fixture's node
// image started as one container on ckalab's own Docker network, `kubeadm init` by the fixture's script,
// its master taint swapped for the lab pool's taint (lab pods must tolerate it), the stand-in lab node
// image imported into its containerd (no registry), and an admin kubeconfig that reaches it from here.

const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(HERE, '../..')
export const NETWORK = 'ckalab-k8s-net'

export interface ApiServer {
  /** The node container (also the API server's host). */
  node: string
  /** An admin kubeconfig on this machine. */
  kubeconfig: string
  /** The API server's address, e.g. https://172.19.0.2:6443. */
  server: string
  /** The stand-in lab node image, present in the node's containerd. */
  labImage: string
  /** Seconds the control plane took to come up. */
  startSeconds: number
  /** Started before this run (CKALAB_TEST_K8S_NODE): left running at the end. */
  reused: boolean
}

function run(cmd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number } = {}) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ').slice(0, 200)} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || String(r.error ?? '')).trim().slice(-2000)}`,
    )
  return r.stdout.trim()
}

export function fixtureDir(): string {
  for (const d of [
    process.env.CKALAB_KIND_FIXTURE,
    resolve(ROOT, '../shared/fixtures/kind-node-1.20'),
    '/work/shared/fixtures/kind-node-1.20',
  ]) {
    if (d && existsSync(join(d, 'start-control-plane.sh'))) return d
  }
  throw new Error('the kind-node-1.20 fixture was not found; set CKALAB_KIND_FIXTURE to its folder')
}

/** kubectl inside the node (Debian's kubectl 1.20, the API server's own version). */
export function kubectl(node: string, args: string[], input?: string): string {
  return run('docker', ['exec', '-i', node, 'kubectl', ...args], { input })
}

export function startApiServer(name = `ckalab-k8s-${process.pid}`): ApiServer {
  if (spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status !== 0)
    throw new Error('no Docker engine answers; start one (as root: bash scripts/ci/install-docker.sh)')
  const fixture = fixtureDir()
  const labImage =
    process.env.CKALAB_TEST_K8S_LAB_IMAGE ||
    run('bash', [join(ROOT, 'scripts/ci/k8s-images.sh')])
      .split('\n')
      .pop()!
  const baseImage = process.env.CKALAB_TEST_NODE_IMAGE ?? 'ckalab-test/node:v1.20.2'
  if (spawnSync('docker', ['network', 'inspect', NETWORK], { stdio: 'ignore' }).status !== 0)
    spawnSync('docker', ['network', 'create', NETWORK], { stdio: 'ignore' })
  // CKALAB_TEST_K8S_NODE: a node this suite started before and kept (CKALAB_TEST_K8S_KEEP=1), for quick reruns
  const reuse = process.env.CKALAB_TEST_K8S_NODE
  const node = reuse || `${name}-control-plane`
  const started = Date.now()
  if (reuse) return prepare(node, labImage, started, true)
  spawnSync('docker', ['rm', '-f', '-v', node], { stdio: 'ignore' })
  // the fixture's run-node.sh flags, on ckalab's own network (these machines refuse --privileged)
  run('docker', [
    'run',
    '-d',
    '--tty',
    '--name',
    node,
    '--hostname',
    node,
    '--net',
    NETWORK,
    '--label',
    'io.ckalab.test=kubernetes-driver',
    '--cap-add',
    'ALL',
    '--cap-drop',
    'SYS_RESOURCE',
    '--security-opt',
    'seccomp=unconfined',
    '--security-opt',
    'apparmor=unconfined',
    '--security-opt',
    'systempaths=unconfined',
    '--device-cgroup-rule',
    'a *:* rwm',
    '--cgroupns=private',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/run',
    '-v',
    '/var',
    '-e',
    'KUBECONFIG=/etc/kubernetes/admin.conf',
    baseImage,
  ])
  try {
    run('bash', [join(fixture, 'start-control-plane.sh'), node], { timeoutMs: 600_000 })
    return prepare(node, labImage, started, false)
  } catch (e) {
    removeApiServer(node)
    throw e
  }
}

function prepare(node: string, labImage: string, started: number, reused: boolean): ApiServer {
  {
    // the lab pool's taint instead of the control plane's: lab pods tolerate only this one
    spawnSync(
      'docker',
      ['exec', node, 'kubectl', 'taint', 'nodes', '--all', 'node-role.kubernetes.io/master-'],
      { stdio: 'ignore' },
    )
    spawnSync(
      'docker',
      ['exec', node, 'kubectl', 'taint', 'nodes', '--all', '--overwrite', 'ckalab.dev/labs=true:NoSchedule'],
      {
        stdio: 'ignore',
      },
    )
    importImage(node, labImage)
    const ip = run('docker', [
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      node,
    ])
    const server = `https://${ip}:6443`
    const admin = run('docker', ['exec', node, 'cat', '/etc/kubernetes/admin.conf']).replace(
      /server: https:\/\/[^\s]+/,
      `server: ${server}`,
    )
    const dir = mkdtempSync(join(tmpdir(), 'ckalab-k8s-'))
    const kubeconfig = join(dir, 'admin.conf')
    writeFileSync(kubeconfig, admin, { mode: 0o600 })
    // the default service account exists once the controller manager runs: pods need nothing else
    for (let i = 0; i < 60; i++) {
      if (
        spawnSync('docker', ['exec', node, 'kubectl', 'get', 'serviceaccount', 'default'], {
          stdio: 'ignore',
        }).status === 0
      )
        break
      spawnSync('sleep', ['1'])
    }
    return {
      node,
      kubeconfig,
      server,
      labImage,
      reused,
      startSeconds: Math.round((Date.now() - started) / 1000),
    }
  }
}

/** An image into the node's containerd, as a registry-less cluster gets it; seconds taken. */
export function importImage(node: string, image: string): number {
  const started = Date.now()
  const save = spawnSync(
    'bash',
    ['-c', `docker save "$1" | docker exec -i "$2" ctr -n k8s.io images import -`, 'x', image, node],
    { encoding: 'utf8', timeout: 300_000 },
  )
  if (save.status !== 0) throw new Error(`importing ${image} into ${node} failed: ${save.stderr}`)
  return Math.round((Date.now() - started) / 1000)
}

/** The kind node lab image (scripts/ci/k8s-images.sh kind-node, cached by recipe), built when missing. */
export function kindNodeImage(): string {
  return (
    process.env.CKALAB_TEST_K8S_KIND_NODE_IMAGE ||
    run('bash', [join(ROOT, 'scripts/ci/k8s-images.sh'), 'kind-node'], { timeoutMs: 900_000 })
      .split('\n')
      .pop()!
  )
}

export function removeApiServer(node: string, kubeconfig?: string): void {
  spawnSync('docker', ['rm', '-f', '-v', node], { stdio: 'ignore' })
  if (kubeconfig) rmSync(dirname(kubeconfig), { recursive: true, force: true })
}
