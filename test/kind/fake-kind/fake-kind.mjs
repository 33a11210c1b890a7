// A stand-in for the kind CLI, for machines where the real kind's privileged
// node containers cannot start and the engine may not be changed (the real
// kind runs ckalab's real-cluster suite; see docs/kind.md). It keeps kind's
// contract, checked against the real binary in test/kind/kind-driver.test.ts:
//   kind version
//   kind create cluster --name N --config F [--image I] [--wait D] [--retain]
//   kind delete cluster --name N
//   kind get clusters
//   kind get kubeconfig --name N [--internal]
// Nodes are made with the fixture scripts in ../shared/fixtures/kind-node-1.20
// (named and labelled as kind does), so a driver runs unchanged against them.
// Environment: FAKE_KIND_VERSION (default v0.17.0), CKALAB_KIND_FIXTURE (fixture folder).
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'

const HERE = dirname(fileURLToPath(import.meta.url))
const FIXTURE = process.env.CKALAB_KIND_FIXTURE ?? resolve(HERE, '../../../../shared/fixtures/kind-node-1.20')
const VERSION = process.env.FAKE_KIND_VERSION ?? 'v0.17.0'
const LABEL = 'io.x-k8s.kind.cluster'
const DEFAULT_IMAGE = 'ckalab-test/node:v1.20.2'

const err = (s) => process.stderr.write(`${s}\n`)
const out = (s) => process.stdout.write(`${s}\n`)
let running // the fixture script in progress, stopped with us on a signal

function run(cmd, args, { capture = true } = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    running = child
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', (e) => res({ code: 127, stdout, stderr: stderr + e.message }))
    child.on('close', (code) => {
      running = undefined
      res({ code: code ?? 1, stdout: capture ? stdout : '', stderr })
    })
  })
}

const docker = (...args) => run('docker', args)

function flags(argv) {
  const f = { _: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) {
      f._.push(a)
      continue
    }
    const [k, inline] = a.slice(2).split('=', 2)
    if (inline !== undefined) f[k] = inline
    else if (['internal', 'retain', 'help'].includes(k)) f[k] = true
    else f[k] = argv[++i]
  }
  return f
}

async function nodesOf(name) {
  const r = await docker('ps', '-a', '--filter', `label=${LABEL}=${name}`, '--format', '{{.Names}}')
  return r.stdout.split('\n').filter(Boolean).sort()
}

async function clusters() {
  const r = await docker('ps', '-a', '--filter', `label=${LABEL}`, '--format', `{{.Label "${LABEL}"}}`)
  return [...new Set(r.stdout.split('\n').filter(Boolean))].sort()
}

/** kind's status lines when stderr is not a terminal. */
async function step(text, f) {
  err(` • ${text}  ...`)
  try {
    const r = await f()
    err(` ✓ ${text}`)
    return r
  } catch (e) {
    err(` ✗ ${text}`)
    throw e
  }
}

function fail(msg) {
  return Object.assign(new Error(msg), { kindFailure: true })
}

async function script(name, ...args) {
  const r = await run(join(FIXTURE, name), args)
  if (r.code !== 0)
    throw fail(`${name} ${args.join(' ')}: ${(r.stdout + r.stderr).trim().split('\n').slice(-3).join('; ')}`)
  return r.stdout.trim()
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * The fixture's bring-up. After a successful `kubeadm init` the kubelet
 * sometimes takes minutes to post its mirror pods (it backed off while the
 * apiserver was starting), and the fixture script gives up after 120 s with
 * "control plane did not come up". kind waits on the control plane itself, so
 * this stand-in does too: a kubelet restart posts the mirror pods at once.
 */
async function startControlPlane(node) {
  try {
    return await script('start-control-plane.sh', node)
  } catch (e) {
    if (!/control plane did not come up/.test(e.message)) throw e
    const init = await docker('exec', node, 'test', '-f', '/etc/kubernetes/admin.conf')
    if (init.code !== 0) throw e
    await docker('exec', node, 'systemctl', 'restart', 'kubelet')
    for (let i = 0; i < 90; i++) {
      const r = await docker('exec', node, 'kubectl', 'get', 'pods', '-n', 'kube-system', '--no-headers')
      if (r.code === 0 && /^etcd-/m.test(r.stdout)) return `${node} ready`
      await sleep(2000)
    }
    throw e
  }
}

async function deleteNodes(name) {
  const nodes = await nodesOf(name)
  if (nodes.length) await docker('rm', '-f', '-v', ...nodes)
  return nodes
}

async function create(f) {
  const name = f.name ?? 'kind'
  let config = { nodes: [{ role: 'control-plane' }] }
  if (f.config) {
    try {
      config = parse(readFileSync(f.config, 'utf8')) ?? config
    } catch (e) {
      err(`ERROR: failed to create cluster: error reading file: ${e.message}`)
      return 1
    }
    if (config.kind !== 'Cluster' || config.apiVersion !== 'kind.x-k8s.io/v1alpha4') {
      err('ERROR: failed to create cluster: unknown apiVersion or kind in the config')
      return 1
    }
  }
  const nodes = config.nodes?.length ? config.nodes : [{ role: 'control-plane' }]
  const cps = nodes.filter((n) => n.role === 'control-plane')
  if (nodes.some((n) => n.role !== 'control-plane')) {
    err('ERROR: failed to create cluster: the test fixture builds control-plane nodes only (no workers)')
    return 1
  }
  if ((await nodesOf(name)).length) {
    err(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`)
    return 1
  }
  const image = f.image ?? cps[0]?.image ?? DEFAULT_IMAGE
  err(`Creating cluster "${name}" ...`)
  try {
    await step(`Ensuring node image (${image}) 🖼`, async () => {
      if ((await docker('image', 'inspect', image)).code === 0) return
      // like kind: pull it, and say which command failed with docker's own answer
      const pull = await docker('pull', image)
      if (pull.code !== 0)
        throw fail(
          `failed to pull image "${image}": command "docker pull ${image}" failed with error: exit status ${pull.code}\n\nCommand Output: ${pull.stderr.trim()}`,
        )
    })
    const names = await step(`Preparing nodes ${cps.map(() => '📦').join(' ')}`, async () => {
      const out = []
      // kind starts the containers in parallel; the fixture script is safe to run concurrently
      await Promise.all(
        cps.map(async (n, i) => {
          out[i] = await script('run-node.sh', name, String(i + 1), n.image ?? image)
        }),
      )
      return out
    })
    await step('Writing configuration 📜', async () => {})
    await step('Starting control-plane 🕹️', () => startControlPlane(names[0]))
    // the fixture's node image has its CNI config and no provisioner: nothing to apply, as kind's steps say
    await step('Installing CNI 🔌', async () => {})
    await step('Installing StorageClass 💾', async () => {})
    if (names.length > 1) {
      await step('Joining more control-plane nodes 🎮', async () => {
        for (const n of names.slice(1)) await script('join-control-plane.sh', names[0], n)
      })
    }
    if (f.wait) {
      const waitFrom = Date.now()
      await step(`Waiting ≤ ${f.wait} for control-plane = Ready ⏳`, async () => {
        for (let i = 0; i < 30; i++) {
          const r = await docker('exec', names[0], 'kubectl', 'get', '--raw', '/readyz')
          if (r.code === 0) return
          await sleep(1000)
        }
        throw fail('timed out waiting for the control plane to become ready')
      })
      err(` • Ready after ${Math.round((Date.now() - waitFrom) / 1000)}s 💚`)
    }
    const kc = await kubeconfig(name, false)
    const target = process.env.KUBECONFIG?.split(':')[0]
    if (target && kc) writeFileSync(target, kc)
  } catch (e) {
    if (!f.retain) await deleteNodes(name)
    err(`ERROR: failed to create cluster: ${e.message}`)
    return 1
  }
  err(`Set kubectl context to "kind-${name}"`)
  err('You can now use your cluster with:\n')
  err(`kubectl cluster-info --context kind-${name}\n`)
  err('Thanks for using kind! 😊')
  return 0
}

async function kubeconfig(name, internal) {
  const nodes = (await nodesOf(name)).filter((n) => /-control-plane\d*$/.test(n))
  if (!nodes.length) return undefined
  const r = await docker('exec', nodes[0], 'cat', '/etc/kubernetes/admin.conf')
  if (r.code !== 0) return undefined
  const doc = parse(r.stdout)
  const ctx = `kind-${name}`
  let server = `https://${nodes[0]}:6443` // the fixture has no load balancer: the first node serves
  const published = internal ? undefined : (await docker('port', nodes[0], '6443/tcp')).stdout.split('\n')[0]
  if (published?.trim()) {
    // as kind: the API server's port published on the host (nodes kind made have it)
    server = `https://${published.trim()}`
  } else if (!internal) {
    // the fixture publishes no port on the host; the node's address on the kind network stands in
    const ip = await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      nodes[0],
    )
    server = `https://${ip.stdout.trim()}:6443`
  }
  doc.clusters = doc.clusters.map((c) => ({ name: ctx, cluster: { ...c.cluster, server } }))
  doc.users = doc.users.map((u) => ({ ...u, name: ctx }))
  doc.contexts = [{ name: ctx, context: { cluster: ctx, user: ctx } }]
  doc['current-context'] = ctx
  return stringify(doc)
}

async function main(argv) {
  const f = flags(argv)
  const [verb, noun] = f._
  if (verb === 'version') {
    out(`kind ${VERSION} go1.19.2 linux/amd64`)
    return 0
  }
  if (verb === 'create' && noun === 'cluster') return create(f)
  if (verb === 'delete' && noun === 'cluster') {
    const name = f.name ?? 'kind'
    err(`Deleting cluster "${name}" ...`)
    const nodes = await deleteNodes(name)
    if (nodes.length) err(`Deleted nodes: ["${nodes.join('" "')}"]`)
    return 0
  }
  if (verb === 'get' && noun === 'clusters') {
    const list = await clusters()
    if (!list.length) err('No kind clusters found.')
    for (const c of list) out(c)
    return 0
  }
  if (verb === 'get' && noun === 'kubeconfig') {
    const name = f.name ?? 'kind'
    const kc = await kubeconfig(name, f.internal === true)
    if (!kc) {
      err(
        `ERROR: could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
      )
      return 1
    }
    process.stdout.write(kc)
    return 0
  }
  err(`ERROR: unknown command "${f._.join(' ')}" for "kind"`)
  return 1
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // like kind: stop where we are and leave the cleanup to `kind delete cluster`
    running?.kill('SIGTERM')
    process.exit(130)
  })
}
if (!existsSync(FIXTURE)) {
  err(`ERROR: the kind-node fixture is missing at ${FIXTURE}; set CKALAB_KIND_FIXTURE`)
  process.exit(1)
}
main(process.argv.slice(2)).then((code) => process.exit(code))
