import { beforeEach, describe, expect, test } from 'vitest'
import { type Harness, harness } from './fake-api'
import { seedCluster } from './fixtures'

// `kubectl get` against the in-memory apiserver: table layout, ages, names,
// selectors, namespaces and every -o format.

let h: Harness
beforeEach(() => {
  h = harness('1.34')
  seedCluster(h.api)
})

describe('tables', () => {
  test('get pods -A: NAMESPACE first, tab-writer padding, ages like 5m12s and 119m', async () => {
    const r = await h.run('get pods -A')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe(
      [
        'NAMESPACE     NAME                  READY   STATUS    RESTARTS   AGE',
        'default       web-5d8f7c9b4-abcde   1/1     Running   0          119m',
        'default       web-5d8f7c9b4-fghij   1/1     Running   0          119m',
        'kube-system   etcd-controlplane     1/1     Running   0          5m12s',
        '',
      ].join('\n'),
    )
  })

  test('short names, singular and Kind forms all mean the same type', async () => {
    const want = (await h.run('get deployments')).stdout
    for (const name of ['deploy', 'deployment', 'Deployment', 'deployments.apps'])
      expect((await h.run(['get', name])).stdout).toBe(want)
    expect(want).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           120m\n',
    )
  })

  test('-o wide adds the IP and NODE columns', async () => {
    const r = await h.run('get po -n kube-system -o wide')
    expect(r.stdout.split('\n')[0]).toBe(
      'NAME                READY   STATUS    RESTARTS   AGE     IP           NODE           NOMINATED NODE   READINESS GATES',
    )
    expect(r.stdout).toContain('172.30.1.2   controlplane   <none>           <none>')
  })

  test('nodes show ROLES and VERSION; namespaces STATUS', async () => {
    expect((await h.run('get no')).stdout).toBe(
      'NAME           STATUS   ROLES           AGE     VERSION\ncontrolplane   Ready    control-plane   6m40s   v1.34.1\n',
    )
    expect((await h.run('get ns')).stdout).toContain('kube-system       Active   6m40s\n')
  })

  test('get all prints one table per type with kind-qualified names and a blank line between', async () => {
    const r = await h.run('get all')
    expect(r.stdout).toContain('pod/web-5d8f7c9b4-abcde')
    expect(r.stdout).toContain(
      '\n\nNAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes',
    )
    expect(r.stdout).toContain('deployment.apps/web   2/2')
  })

  test('--show-labels and --no-headers', async () => {
    const r = await h.run('get pods -n kube-system --show-labels --no-headers')
    expect(r.stdout).toBe(
      'etcd-controlplane   1/1   Running   0     5m12s   component=etcd,tier=control-plane\n',
    )
  })

  test('RESTARTS shows the last restart age on 1.31+, a bare count on 1.20', async () => {
    const pod = h.api.objects.get('pods/kube-system/etcd-controlplane')!
    pod.status.containerStatuses[0].restartCount = 2
    pod.status.containerStatuses[0].lastState = {
      terminated: { finishedAt: '2026-01-15T08:58:00Z', exitCode: 0 },
    }
    expect((await h.run('get pods -n kube-system')).stdout).toContain('Running   2 (2m ago)   5m12s')
    const old = harness('1.20')
    old.api.add('pods', structuredClone(pod))
    expect((await old.run('get pods -n kube-system')).stdout).toContain('Running   2          5m12s')
  })

  test('a pod being deleted shows Terminating; a waiting container shows its reason', async () => {
    const pod = h.api.objects.get('pods/default/web-5d8f7c9b4-abcde')!
    pod.metadata.deletionTimestamp = '2026-01-15T09:00:30Z'
    const other = h.api.objects.get('pods/default/web-5d8f7c9b4-fghij')!
    other.status.containerStatuses[0] = {
      name: 'nginx',
      ready: false,
      restartCount: 0,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    }
    const r = await h.run('get pods')
    expect(r.stdout).toContain('web-5d8f7c9b4-abcde   1/1     Terminating')
    expect(r.stdout).toContain('web-5d8f7c9b4-fghij   0/1     CrashLoopBackOff')
  })
})

describe('selection', () => {
  test('-l with =, !=, in, notin, exists', async () => {
    expect((await h.run('get pods -A -l app=web -o name')).stdout).toBe(
      'pod/web-5d8f7c9b4-abcde\npod/web-5d8f7c9b4-fghij\n',
    )
    expect(
      (await h.run(['get', 'pods', '-A', '-l', 'component notin (apiserver),tier', '-o', 'name'])).stdout,
    ).toBe('pod/etcd-controlplane\n')
    expect((await h.run('get pods -A -l app!=web -o name')).stdout).toBe('pod/etcd-controlplane\n')
  })

  test('--field-selector on metadata.name, status.phase, spec.nodeName', async () => {
    const r = await h.run(
      'get pods -A --field-selector metadata.name=etcd-controlplane,spec.nodeName=controlplane -o name',
    )
    expect(r.stdout).toBe('pod/etcd-controlplane\n')
    const none = await h.run('get pods --field-selector status.phase=Pending')
    expect(none.stderr).toBe('No resources found in default namespace.\n')
  })

  test('names, type/name form, and several names', async () => {
    const r = await h.run('get pod/etcd-controlplane deploy/web -A -o name')
    expect(r.stderr).toBe('error: a resource cannot be retrieved by name across all namespaces\n')
    const ok = await h.run('get pods web-5d8f7c9b4-abcde web-5d8f7c9b4-fghij -o name')
    expect(ok.stdout).toBe('pod/web-5d8f7c9b4-abcde\npod/web-5d8f7c9b4-fghij\n')
    const slash = await h.run('get deploy/web')
    expect(slash.stdout).toContain('deployment.apps/web   2/2')
  })

  test('empty results and missing objects use kubectl wording and streams', async () => {
    expect(await h.run('get cm')).toEqual({
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
      exitCode: 0,
    })
    expect((await h.run('get secrets -A')).stderr).toBe('No resources found\n')
    expect(await h.run('get pod x')).toEqual({
      stdout: '',
      stderr: 'Error from server (NotFound): pods "x" not found\n',
      exitCode: 1,
    })
    expect((await h.run('get deploy nope')).stderr).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    )
  })
})

describe('output formats', () => {
  test('-o yaml of one object: sorted keys, quoted timestamps, sequences not indented', async () => {
    const r = await h.run('get deploy web -o yaml')
    expect(r.stdout).toMatch(
      /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}creationTimestamp: "2026-01-15T07:00:00Z"\n/,
    )
    expect(r.stdout).toContain(
      '    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n',
    )
  })

  test('-o json of a list is a v1 List with 4-space indentation', async () => {
    const r = await h.run('get ns -o json')
    const doc = JSON.parse(r.stdout)
    expect(doc.kind).toBe('List')
    expect(doc.metadata).toEqual({ resourceVersion: '' })
    expect(doc.items).toHaveLength(4)
    expect(r.stdout.split('\n')[1]).toBe('    "apiVersion": "v1",')
  })

  test('jsonpath: items[*], range with newlines, filters', async () => {
    expect((await h.run(['get', 'pods', '-A', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout).toBe(
      'web-5d8f7c9b4-abcde web-5d8f7c9b4-fghij etcd-controlplane',
    )
    expect(
      (
        await h.run([
          'get',
          'pods',
          '-n',
          'kube-system',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}',
        ])
      ).stdout,
    ).toBe('etcd-controlplane\n')
    const image = await h.run([
      'get',
      'pod',
      'etcd-controlplane',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.spec.volumes[?(@.name=="etcd-data")].hostPath.path}',
    ])
    expect(image.stdout).toBe('/var/lib/etcd')
  })

  test('custom-columns with <none> for missing values', async () => {
    const r = await h.run([
      'get',
      'pods',
      '-A',
      '-o',
      'custom-columns=NAME:.metadata.name,QOS:.status.qosClass',
    ])
    expect(r.stdout).toBe(
      'NAME                  QOS\nweb-5d8f7c9b4-abcde   <none>\nweb-5d8f7c9b4-fghij   <none>\netcd-controlplane     Burstable\n',
    )
  })

  test('unknown -o value lists the allowed formats', async () => {
    const r = await h.run('get pods -o foo')
    expect(r.stderr).toMatch(
      /^error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,/,
    )
    expect(r.exitCode).toBe(1)
  })
})

test('--raw /readyz, /livez, /version, /readyz?verbose', async () => {
  expect((await h.run('get --raw /readyz')).stdout).toBe('ok')
  expect((await h.run('get --raw /livez')).stdout).toBe('ok')
  expect((await h.run(['get', '--raw', '/readyz?verbose'])).stdout).toContain('readyz check passed')
  expect(JSON.parse((await h.run('get --raw /version')).stdout).gitVersion).toBe('v1.34.1')
})

test('endpoints: ports outer, addresses inner, three shown then "+ N more..."', async () => {
  h.api.add('endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kube-dns', namespace: 'kube-system', creationTimestamp: '2026-01-15T08:59:00Z' },
    subsets: [
      { addresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }], ports: [{ port: 53 }, { port: 9153 }] },
    ],
  } as any)
  expect((await h.run('get ep -n kube-system')).stdout).toBe(
    'NAME       ENDPOINTS                                                 AGE\nkube-dns   10.244.0.2:53,10.244.0.3:53,10.244.0.2:9153 + 1 more...   60s\n',
  )
})
