// Starts a real etcd 3.4 the way kubeadm's static pod runs it (TLS everywhere,
// client certificate auth, kubeadm's certificate names and flags), on free
// loopback ports, so the conformance script can run etcdctl against it.
// Everything lives in one temp dir that stop() removes.

import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** Node name kubeadm would give etcd's --name (the simulator's node is called the same). */
export const NODE_NAME = 'controlplane'
/**
 * Stands in for the node's own IP. A second loopback address keeps it distinct
 * from 127.0.0.1 in outputs (member list, --cluster) like a real node IP is.
 */
export const NODE_IP = '127.0.0.2'

export interface RealEtcd {
  /** https://127.0.0.1:<clientPort>, what $EP is on this side. */
  endpoint: string
  nodeName: string
  nodeIp: string
  clientPort: number
  peerPort: number
  metricsPort: number
  /** A port on 127.0.0.1 where nothing listens (for the dead-endpoint cases). */
  deadPort: number
  /** Holds etcd/ca.crt, etcd/server.crt, … and apiserver-etcd-client.crt: what $PKI is. */
  pkiDir: string
  dataDir: string
  /** Temp dir for everything; removed by stop(). */
  rootDir: string
  /** etcd's own log so far (stderr), for diagnosing a start failure. */
  log(): string
  stop(): Promise<void>
}

export interface ShellResult {
  stdout: string
  stderr: string
  exitCode: number
}

async function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, host, () => srv.close(() => resolve(true)))
  })
}

/** A port free on every host given (the OS picks one on the first host). */
export async function freePort(hosts: string[] = ['127.0.0.1'], avoid: number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer()
      srv.once('error', reject)
      srv.listen(0, hosts[0], () => {
        const addr = srv.address()
        const p = typeof addr === 'object' && addr ? addr.port : 0
        srv.close(() => resolve(p))
      })
    })
    if (avoid.includes(port)) continue
    let ok = true
    for (const h of hosts.slice(1)) if (!(await portIsFree(h, port))) ok = false
    if (ok) return port
  }
  throw new Error(`could not find a free port on ${hosts.join(', ')} after 50 tries`)
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd })
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr || e.message}`)
  }
}

interface CertSpec {
  /** Path without extension, relative to the pki dir, e.g. etcd/server. */
  name: string
  subject: string
  eku: string
  sans?: string
}

/**
 * Writes kubeadm's etcd certificates: an etcd CA (CN=etcd-ca) and the leaf
 * certificates kubeadm signs with it, plus the cluster CA. Keys are RSA 2048
 * in PKCS#1 PEM ("RSA PRIVATE KEY"), as kubeadm writes them; the format shows
 * in errors, e.g. when a key is passed as --cacert.
 */
export async function makeKubeadmEtcdPki(pkiDir: string, nodeName: string, nodeIp: string): Promise<void> {
  await mkdir(path.join(pkiDir, 'etcd'), { recursive: true })
  const sans = `DNS:${nodeName},DNS:localhost,IP:${nodeIp},IP:127.0.0.1,IP:0:0:0:0:0:0:0:1`
  // The cluster CA (pki/ca.crt, CN=kubernetes) signs nothing of etcd's; it is
  // here because passing it as --cacert is the classic "wrong CA" mistake.
  for (const [base, cn] of [
    ['etcd/ca', 'etcd-ca'],
    ['ca', 'kubernetes'],
  ]) {
    await openssl(['genrsa', '-traditional', '-out', `${base}.key`, '2048'], pkiDir)
    await openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        `${base}.key`,
        '-subj',
        `/CN=${cn}`,
        '-days',
        '3650',
        '-out',
        `${base}.crt`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
      ],
      pkiDir,
    )
  }
  const leaves: CertSpec[] = [
    { name: 'etcd/server', subject: `/CN=${nodeName}`, eku: 'serverAuth,clientAuth', sans },
    { name: 'etcd/peer', subject: `/CN=${nodeName}`, eku: 'serverAuth,clientAuth', sans },
    {
      name: 'etcd/healthcheck-client',
      subject: '/O=system:masters/CN=kube-etcd-healthcheck-client',
      eku: 'clientAuth',
    },
    {
      name: 'apiserver-etcd-client',
      subject: '/O=system:masters/CN=kube-apiserver-etcd-client',
      eku: 'clientAuth',
    },
  ]
  for (const leaf of leaves) {
    const ext = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${leaf.eku}`,
      'authorityKeyIdentifier=keyid',
    ]
    if (leaf.sans) ext.push(`subjectAltName=${leaf.sans}`)
    const extFile = `${leaf.name}.ext`
    await writeFile(path.join(pkiDir, extFile), `${ext.join('\n')}\n`)
    await openssl(['genrsa', '-traditional', '-out', `${leaf.name}.key`, '2048'], pkiDir)
    await openssl(
      ['req', '-new', '-key', `${leaf.name}.key`, '-subj', leaf.subject, '-out', `${leaf.name}.csr`],
      pkiDir,
    )
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        `${leaf.name}.csr`,
        '-CA',
        'etcd/ca.crt',
        '-CAkey',
        'etcd/ca.key',
        '-CAcreateserial',
        '-days',
        '365',
        '-extfile',
        extFile,
        '-out',
        `${leaf.name}.crt`,
      ],
      pkiDir,
    )
    await rm(path.join(pkiDir, `${leaf.name}.csr`))
    await rm(path.join(pkiDir, extFile))
  }
  await rm(path.join(pkiDir, 'etcd/ca.srl'), { force: true })
}

/** kubeadm 1.20's etcd.yaml flags, with paths and ports of this test. */
export function kubeadmEtcdArgs(o: {
  nodeName: string
  nodeIp: string
  clientPort: number
  peerPort: number
  metricsPort: number
  pkiDir: string
  dataDir: string
}): string[] {
  const etcdPki = path.join(o.pkiDir, 'etcd')
  return [
    `--advertise-client-urls=https://${o.nodeIp}:${o.clientPort}`,
    `--cert-file=${etcdPki}/server.crt`,
    '--client-cert-auth=true',
    `--data-dir=${o.dataDir}`,
    `--initial-advertise-peer-urls=https://${o.nodeIp}:${o.peerPort}`,
    `--initial-cluster=${o.nodeName}=https://${o.nodeIp}:${o.peerPort}`,
    `--key-file=${etcdPki}/server.key`,
    `--listen-client-urls=https://127.0.0.1:${o.clientPort},https://${o.nodeIp}:${o.clientPort}`,
    `--listen-metrics-urls=http://127.0.0.1:${o.metricsPort}`,
    `--listen-peer-urls=https://${o.nodeIp}:${o.peerPort}`,
    `--name=${o.nodeName}`,
    `--peer-cert-file=${etcdPki}/peer.crt`,
    '--peer-client-cert-auth=true',
    `--peer-key-file=${etcdPki}/peer.key`,
    `--peer-trusted-ca-file=${etcdPki}/ca.crt`,
    '--snapshot-count=10000',
    `--trusted-ca-file=${etcdPki}/ca.crt`,
  ]
}

/**
 * Where etcd, etcdctl (and etcdutl) are looked up first: a directory put in
 * front of PATH, so another release unpacked into the test cache (the 3.5
 * suite) wins over the system's etcd 3.4. Empty: PATH as inherited.
 */
let binDirFirst = ''

/** Makes every etcd started and every line run from now on find the binaries in `dir` first. */
export function setEtcdBinDir(dir: string): void {
  binDirFirst = dir
}

/** Environment for etcd and etcdctl with nothing inherited that could change their behaviour. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'
  return {
    PATH: binDirFirst ? `${binDirFirst}:${inherited}` : inherited,
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    ...extra,
  }
}

/**
 * Runs one line with the real `bash -c`, in `cwd`, with exactly `env` (plus
 * PATH/HOME). Never rejects: a timeout shows as exit code 124 like `timeout`.
 */
export function runShellLine(
  line: string,
  opts: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], {
      cwd: opts.cwd,
      env: cleanEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, opts.timeoutMs ?? 30_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (timedOut ? '\n[ckalab: killed after timeout]\n' : ''),
        exitCode: timedOut ? 124 : (code ?? 1),
      })
    })
    child.on('error', (e) => {
      clearTimeout(timer)
      resolve({ stdout: '', stderr: `could not start bash: ${e.message}\n`, exitCode: 127 })
    })
  })
}

async function waitHealthy(r: RealEtcd, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const certs = path.join(r.pkiDir, 'etcd')
  let last: ShellResult | undefined
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(
        `etcd exited with code ${proc.exitCode} while starting. Its log:\n${r.log().slice(-3000)}`,
      )
    }
    last = await runShellLine(
      `etcdctl --endpoints=${r.endpoint} --cacert=${certs}/ca.crt --cert=${certs}/healthcheck-client.crt ` +
        `--key=${certs}/healthcheck-client.key --dial-timeout=1s --command-timeout=2s endpoint health`,
      { cwd: r.rootDir, env: {} },
    )
    if (last.exitCode === 0) return
    await new Promise((res) => setTimeout(res, 200))
  }
  throw new Error(
    `etcd did not become healthy within ${timeoutMs} ms. Last health check: ${last?.stderr}\netcd log:\n${r.log().slice(-3000)}`,
  )
}

/** Creates certs, starts etcd with kubeadm's flags and waits until `endpoint health` passes. */
export async function startRealEtcd(
  opts: {
    nodeName?: string
    startTimeoutMs?: number
    /** kubeadm's flags for the release under test (default: kubeadm 1.20's, for etcd 3.4). */
    args?: typeof kubeadmEtcdArgs
    /** Prefix of the temp dir's name. */
    tmpPrefix?: string
  } = {},
): Promise<RealEtcd> {
  const nodeName = opts.nodeName ?? NODE_NAME
  const nodeIp = NODE_IP
  const rootDir = await mkdtemp(path.join(os.tmpdir(), opts.tmpPrefix ?? 'ckalab-etcd34-'))
  const pkiDir = path.join(rootDir, 'pki')
  const dataDir = path.join(rootDir, 'var-lib-etcd')
  try {
    await makeKubeadmEtcdPki(pkiDir, nodeName, nodeIp)
    const clientPort = await freePort(['127.0.0.1', nodeIp])
    const peerPort = await freePort([nodeIp, '127.0.0.1'], [clientPort])
    const metricsPort = await freePort(['127.0.0.1'], [clientPort, peerPort])
    const deadPort = await freePort(['127.0.0.1'], [clientPort, peerPort, metricsPort])
    const logChunks: string[] = []
    const proc = spawn(
      binDirFirst ? path.join(binDirFirst, 'etcd') : 'etcd',
      (opts.args ?? kubeadmEtcdArgs)({
        nodeName,
        nodeIp,
        clientPort,
        peerPort,
        metricsPort,
        pkiDir,
        dataDir,
      }),
      { cwd: rootDir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    )
    proc.stderr?.on('data', (d: Buffer) => logChunks.push(d.toString('utf8')))
    const real: RealEtcd = {
      endpoint: `https://127.0.0.1:${clientPort}`,
      nodeName,
      nodeIp,
      clientPort,
      peerPort,
      metricsPort,
      deadPort,
      pkiDir,
      dataDir,
      rootDir,
      log: () => logChunks.join(''),
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          const exited = new Promise<void>((res) => proc.once('exit', () => res()))
          proc.kill('SIGTERM')
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        }
        await rm(rootDir, { recursive: true, force: true })
      },
    }
    try {
      await waitHealthy(real, proc, opts.startTimeoutMs ?? 20_000)
    } catch (err) {
      await real.stop()
      throw err
    }
    return real
  } catch (err) {
    await rm(rootDir, { recursive: true, force: true })
    throw err
  }
}

/** The script's variables for this etcd (see script.ts). */
export function realScriptVars(r: RealEtcd, work: string) {
  return {
    PKI: r.pkiDir,
    EP: r.endpoint,
    EP_HTTP: `http://127.0.0.1:${r.clientPort}`,
    EP_BARE: `127.0.0.1:${r.clientPort}`,
    NODE_EP: `https://${r.nodeIp}:${r.clientPort}`,
    DEAD_EP: `https://127.0.0.1:${r.deadPort}`,
    WORK: work,
  }
}

/**
 * Runs the lines one by one with real bash in a fresh, empty $WORK inside
 * the etcd's temp dir, recording each line's stdout, stderr and exit code.
 */
export async function runScriptOnReal(
  r: RealEtcd,
  lines: string[],
  opts: { timeoutMs?: number } = {},
): Promise<{ vars: ReturnType<typeof realScriptVars>; results: ShellResult[] }> {
  const work = path.join(r.rootDir, 'work')
  await rm(work, { recursive: true, force: true })
  await mkdir(work, { recursive: true })
  const vars = realScriptVars(r, work)
  const results: ShellResult[] = []
  for (const line of lines) {
    results.push(await runShellLine(line, { cwd: work, env: vars, timeoutMs: opts.timeoutMs ?? 20_000 }))
  }
  return { vars, results }
}
