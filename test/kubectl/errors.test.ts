import { describe, expect, test } from 'vitest'
import { ADMIN_CONF, harness } from './fake-api'
import { seedCluster } from './fixtures'

// What kubectl prints when it cannot reach a server, has no kubeconfig, or is
// typed wrong — per profile.

const REFUSED =
  'The connection to the server 172.30.1.2:6443 was refused - did you specify the right host or port?\n'

describe('apiserver unreachable', () => {
  test('1.34: five memcache.go lines timed by the clock, then the refusal', async () => {
    const h = harness('1.34')
    h.api.down = true
    const r = await h.run('get pods -A')
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    const lines = r.stderr.split('\n')
    expect(lines).toHaveLength(7)
    for (const l of lines.slice(0, 5))
      expect(l).toMatch(
        /^E0115 09:00:00\.\d{6} +\d+ memcache\.go:265\] "Unhandled Error" err="couldn't get current server API group list: Get \\"https:\/\/172\.30\.1\.2:6443\/api\?timeout=32s\\": dial tcp 172\.30\.1\.2:6443: connect: connection refused"$/,
      )
    expect(`${lines[5]}\n`).toBe(REFUSED)
  })

  test('1.20: only the refusal line', async () => {
    const h = harness('1.20')
    h.api.down = true
    expect(await h.run('get pods')).toEqual({ stdout: '', stderr: REFUSED, exitCode: 1 })
  })

  test('get --raw and version print no discovery lines; version still prints the client part', async () => {
    const h = harness('1.31')
    h.api.down = true
    expect(await h.run('get --raw /readyz')).toEqual({ stdout: '', stderr: REFUSED, exitCode: 1 })
    expect(await h.run('version')).toEqual({
      stdout: 'Client Version: v1.31.1\nKustomize Version: v5.4.2\n',
      stderr: REFUSED,
      exitCode: 1,
    })
  })

  test('cluster-info prints its debug hint before failing', async () => {
    const h = harness('1.20')
    h.api.down = true
    const r = await h.run('cluster-info')
    expect(r.stdout).toBe(
      "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    )
    expect(r.stderr).toBe(REFUSED)
  })
})

test('no kubeconfig anywhere: localhost:8080 refused', async () => {
  const h = harness('1.31', { noConfig: true })
  const r = await h.run('get nodes')
  expect(r.stderr).toMatch(/dial tcp 127\.0\.0\.1:8080: connect: connection refused"\n/)
  expect(
    r.stderr.endsWith(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
    ),
  ).toBe(true)
  expect((await h.run('config current-context')).stderr).toBe('error: current-context is not set\n')
})

test('KUBECONFIG and --kubeconfig choose the file', async () => {
  const h = harness('1.34', { noConfig: true })
  seedCluster(h.api)
  h.fs.mkdirSync('/etc/kubernetes', { recursive: true })
  h.fs.writeFileSync('/etc/kubernetes/admin.conf', ADMIN_CONF)
  expect(
    (await h.run('get ns -o name', { env: { KUBECONFIG: '/etc/kubernetes/admin.conf' } })).exitCode,
  ).toBe(0)
  expect((await h.run('get ns -o name --kubeconfig /etc/kubernetes/admin.conf')).exitCode).toBe(0)
  expect((await h.run('get ns --kubeconfig /nope')).stderr).toBe(
    'error: stat /nope: no such file or directory\n',
  )
})

describe('bad input', () => {
  test('unknown flags and commands', async () => {
    const h = harness('1.34')
    expect(await h.run('get pods --foo')).toEqual({
      stdout: '',
      stderr: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n",
      exitCode: 1,
    })
    expect((await h.run('get pods -x')).stderr).toBe(
      "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.\n",
    )
    expect((await h.run('get pods -n')).stderr).toBe(
      "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
    )
    expect(await h.run('qwertyuiop')).toEqual({
      stdout: '',
      stderr: 'error: unknown command "qwertyuiop" for "kubectl"\n',
      exitCode: 1,
    })
    expect((await h.run('gett pods')).stderr).toBe(
      'error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n\tset\n',
    )
    expect((await harness('1.20').run('foo')).stderr).toBe(
      'Error: unknown command "foo" for "kubectl"\n\nDid you mean this?\n\ttop\n\nRun \'kubectl --help\' for usage.\n',
    )
  })

  test('unknown resource type and missing type', async () => {
    const h = harness('1.34')
    expect((await h.run('get foos')).stderr).toBe('error: the server doesn\'t have a resource type "foos"\n')
    expect((await h.run('get')).stderr).toContain('error: Required resource not specified.\n')
  })

  test('bad jsonpath and selectors never crash', async () => {
    const h = harness('1.34')
    seedCluster(h.api)
    const r = await h.run(['get', 'pods', '-o', 'jsonpath={.items[*'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^error: error parsing jsonpath \{.items\[\*, /)
    expect((await h.run(['get', 'pods', '-l', 'a in b'])).stderr).toMatch(
      /^error: unable to parse requirement/,
    )
  })
})

describe('version and config', () => {
  test('version formats per profile', async () => {
    const old = harness('1.20')
    const r = await old.run('version')
    expect(r.stdout).toMatch(
      /^Client Version: version\.Info\{Major:"1", Minor:"20", GitVersion:"v1\.20\.2", .*Platform:"linux\/amd64"\}\n/,
    )
    expect((await old.run('version --short')).stdout).toBe(
      'Client Version: v1.20.2\nServer Version: v1.34.1\n',
    )
    const h = harness('1.34')
    expect((await h.run('version --short')).stderr).toBe(
      "error: unknown flag: --short\nSee 'kubectl version --help' for usage.\n",
    )
    expect((await h.run('version --client')).stdout).toBe(
      'Client Version: v1.34.1\nKustomize Version: v5.7.1\n',
    )
  })

  test('config view redacts, current-context, get-contexts, set-context --current --namespace', async () => {
    const h = harness('1.34')
    seedCluster(h.api)
    const view = (await h.run('config view')).stdout
    expect(view).toContain('    certificate-authority-data: DATA+OMITTED\n')
    expect(view).toContain('    client-key-data: DATA+OMITTED\n')
    expect((await h.run('config view --raw')).stdout).toContain('client-key-data: LS0tLS1CRUdJTg==')
    expect((await h.run('config current-context')).stdout).toBe('kubernetes-admin@kubernetes\n')
    expect((await h.run('config get-contexts')).stdout).toBe(
      'CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n',
    )
    expect((await h.run('config set-context --current --namespace=kube-system')).stdout).toBe(
      'Context "kubernetes-admin@kubernetes" modified.\n',
    )
    expect((await h.run('get pods -o name')).stdout).toBe('pod/etcd-controlplane\n')
  })

  test('cluster-info, api-resources', async () => {
    const h = harness('1.34')
    seedCluster(h.api)
    expect((await h.run('cluster-info')).stdout).toBe(
      "\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://172.30.1.2:6443\x1b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    )
    const res = (await h.run('api-resources')).stdout
    expect(res.split('\n')[0]).toBe(
      'NAME                     SHORTNAMES   APIVERSION               NAMESPACED   KIND',
    )
    expect(res).toContain(
      '\ndeployments              deploy       apps/v1                  true         Deployment\n',
    )
  })
})
