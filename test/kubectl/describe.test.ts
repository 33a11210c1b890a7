import { beforeEach, expect, test } from 'vitest'
import { type Harness, harness } from './fake-api'
import { seedCluster } from './fixtures'

// `kubectl describe` layouts: Go tab-writer alignment per section, host paths
// of volumes, command lines, events.

let h: Harness
beforeEach(() => {
  h = harness('1.34')
  seedCluster(h.api)
})

test('describe pod shows the etcd command line, mounts and the HostPath volumes', async () => {
  const r = await h.run('describe pod etcd-controlplane -n kube-system')
  expect(r.exitCode).toBe(0)
  const out = r.stdout
  expect(out).toMatch(/^Name: {17}etcd-controlplane\nNamespace: {12}kube-system\nPriority: {13}2000001000\n/)
  expect(out).toContain('IPs:\n  IP:           172.30.1.2\nControlled By:  Node/controlplane\n')
  expect(out).toContain(
    '    Command:\n      etcd\n      --advertise-client-urls=https://172.30.1.2:2379\n      --data-dir=/var/lib/etcd\n',
  )
  expect(out).toContain(
    '    Liveness:     http-get http://127.0.0.1:2381/livez delay=10s timeout=15s period=10s #success=1 #failure=8\n',
  )
  expect(out).toContain(
    '    Mounts:\n      /etc/kubernetes/pki/etcd from etcd-certs (rw)\n      /var/lib/etcd from etcd-data (rw)\n',
  )
  expect(out).toContain(
    '  etcd-data:\n    Type:          HostPath (bare host directory volume)\n    Path:          /var/lib/etcd\n    HostPathType:  DirectoryOrCreate\n',
  )
  expect(out).toContain('Conditions:\n  Type              Status\n  Initialized       True \n')
  expect(out).toMatch(
    /QoS Class: {9}Burstable\nNode-Selectors: {4}<none>\nTolerations: {7}:NoExecute op=Exists\nEvents: {12}<none>\n$/,
  )
})

test('describe matches a name prefix, as kubectl does', async () => {
  const r = await h.run('describe pod etcd -n kube-system')
  expect(r.stdout).toContain('Name:                 etcd-controlplane')
})

test('events are printed in their own aligned table, with repeat counts', async () => {
  h.api.add('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default' },
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-5d8f7c9b4 to 2',
    source: { component: 'deployment-controller' },
    firstTimestamp: '2026-01-15T07:00:00Z',
    lastTimestamp: '2026-01-15T07:00:00Z',
    count: 1,
  } as any)
  const r = await h.run('describe deploy web')
  expect(r.stdout).toContain(
    'Events:\n  Type    Reason             Age   From                   Message\n  ----    ------             ----  ----                   -------\n  Normal  ScalingReplicaSet  120m  deployment-controller  Scaled up replica set web-5d8f7c9b4 to 2\n',
  )
  expect(r.stdout).toContain(
    'Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n',
  )
  expect(r.stdout).toContain(
    'Pod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n',
  )
})

test('describe node lists its pods with requests and the allocated totals', async () => {
  const r = await h.run('describe node controlplane')
  expect(r.stdout).toMatch(/^Name: {15}controlplane\nRoles: {14}control-plane\n/)
  expect(r.stdout).toContain('Non-terminated Pods:          (3 in total)')
  expect(r.stdout).toMatch(/kube-system +etcd-controlplane +100m \(5%\) +0 \(0%\) +100Mi \(2%\)/)
})

test('describe of a missing object and with no arguments', async () => {
  expect(await h.run('describe pod nope')).toEqual({
    stdout: '',
    stderr: 'Error from server (NotFound): pods "nope" not found\n',
    exitCode: 1,
  })
  expect((await h.run('describe')).stderr).toMatch(
    /^error: You must specify the type of resource to describe/,
  )
})

test('1.20 has no Service Account / SeccompProfile lines', async () => {
  const old = harness('1.20')
  seedCluster(old.api)
  const r = await old.run('describe pod etcd-controlplane -n kube-system')
  expect(r.stdout).not.toContain('SeccompProfile:')
  expect(r.stdout).toContain('Status:               Running\nIP:                   172.30.1.2\n')
})
