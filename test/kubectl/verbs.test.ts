import { beforeEach, describe, expect, test } from 'vitest'
import { type Harness, harness } from './fake-api'
import { seedCluster } from './fixtures'

// The verbs that change or inspect objects, against the in-memory apiserver.

let h: Harness
beforeEach(() => {
  h = harness('1.34')
  seedCluster(h.api)
})

describe('create and run', () => {
  test('create deployment / namespace / run print kubectl lines and store the objects', async () => {
    expect((await h.run('create deployment api --image=nginx:1.25 --replicas=3')).stdout).toBe(
      'deployment.apps/api created\n',
    )
    const d = await h.api.get('deployments', 'api', 'default')
    expect(d.spec.replicas).toBe(3)
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.25' })
    expect((await h.run('create namespace team')).stdout).toBe('namespace/team created\n')
    expect((await h.run('run nginx --image=nginx')).stdout).toBe('pod/nginx created\n')
    expect((await h.api.get('pods', 'nginx', 'default')).metadata.labels).toEqual({ run: 'nginx' })
  })

  test('AlreadyExists and missing --image', async () => {
    expect((await h.run('create deployment web --image=x')).stderr).toBe(
      'Error from server (AlreadyExists): deployments.apps "web" already exists\n',
    )
    const r = await h.run('create deployment x')
    expect(r.exitCode).toBe(1)
    // kubectl 1.32 and 1.36 (test/conformance/kubectl) print cobra's refusal through their error handler
    expect(r.stderr).toBe('error: required flag(s) "image" not set\n')
    expect((await harness('1.20').run('run x')).stderr).toBe('Error: required flag(s) "image" not set\n')
  })

  test('--dry-run=client -o yaml prints the object without creating it', async () => {
    const r = await h.run('create deployment d --image=redis --dry-run=client -o yaml')
    expect(r.stdout).toContain('kind: Deployment\nmetadata:\n  labels:\n    app: d\n  name: d\n')
    await expect(h.api.get('deployments', 'd', 'default')).rejects.toThrow(/not found/)
  })
})

describe('apply', () => {
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: c\n    image: busybox\n'

  test('created, unchanged, configured; last-applied annotation kept', async () => {
    h.fs.writeFileSync('/root/p.yaml', pod)
    expect((await h.run('apply -f p.yaml')).stdout).toBe('pod/p1 created\n')
    expect((await h.run('apply -f /root/p.yaml')).stdout).toBe('pod/p1 unchanged\n')
    h.fs.writeFileSync('/root/p.yaml', pod.replace('busybox', 'busybox:1.36'))
    expect((await h.run('apply -f p.yaml')).stdout).toBe('pod/p1 configured\n')
    const stored = await h.api.get('pods', 'p1', 'default')
    expect(stored.spec.containers[0].image).toBe('busybox:1.36')
    expect(stored.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      'busybox:1.36',
    )
  })

  test('apply -f - reads stdin, multi-document', async () => {
    const two = `${pod}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n`
    const r = await h.run('apply -f -', { stdin: two })
    expect(r.stdout).toBe('pod/p1 created\nnamespace/lab created\n')
  })

  test.each([
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   labels: y\n',
      'yaml: line 5: mapping values are not allowed in this context',
    ],
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: y\n',
      'yaml: line 4: did not find expected key',
    ],
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n',
      'yaml: line 4: found character that cannot start any token',
    ],
    ['apiVersion: v1\nkind: Pod\nmetadata\n  name: x\n', "yaml: line 4: could not find expected ':'"],
    [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n   image: b\n',
      'yaml: line 7: did not find expected key',
    ],
  ])('malformed YAML gives go-yaml line and wording: %#', async (text, message) => {
    h.fs.writeFileSync('/root/bad.yaml', text)
    expect(await h.run('apply -f bad.yaml')).toEqual({
      stdout: '',
      stderr: `error: error parsing bad.yaml: error converting YAML to JSON: ${message}\n`,
      exitCode: 1,
    })
  })

  test('missing kind, missing file, empty input', async () => {
    h.fs.writeFileSync('/root/nokind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n')
    expect((await h.run('apply -f nokind.yaml')).stderr).toBe(
      'error: error validating "nokind.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n',
    )
    expect((await h.run('apply -f nope.yaml')).stderr).toBe('error: the path "nope.yaml" does not exist\n')
    expect((await h.run('apply -f -', { stdin: '' })).stderr).toBe('error: no objects passed to apply\n')
  })
})

describe('delete, scale, label, annotate', () => {
  test('delete by name (1.34 names the namespace), --force --grace-period=0, --all, not found', async () => {
    expect((await h.run('delete pod web-5d8f7c9b4-abcde')).stdout).toBe(
      'pod "web-5d8f7c9b4-abcde" deleted from default namespace\n',
    )
    const f = await h.run('delete pod web-5d8f7c9b4-fghij --force --grace-period=0')
    expect(f.stderr).toBe(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    )
    expect(f.stdout).toBe('pod "web-5d8f7c9b4-fghij" force deleted from default namespace\n')
    expect((await h.run('delete pod gone')).stderr).toBe(
      'Error from server (NotFound): pods "gone" not found\n',
    )
    expect((await h.run('delete deploy --all')).stdout).toBe(
      'deployment.apps "web" deleted from default namespace\n',
    )
    const old = harness('1.31')
    seedCluster(old.api)
    expect((await old.run('delete deploy web')).stdout).toBe('deployment.apps "web" deleted\n')
  })

  test('delete needs a name, a selector or --all', async () => {
    expect((await h.run('delete pod')).stderr).toBe(
      'error: resource(s) were provided, but no name was specified\n',
    )
  })

  test('scale and the --replicas requirement', async () => {
    expect((await h.run('scale deploy/web --replicas=5')).stdout).toBe('deployment.apps/web scaled\n')
    expect((await h.api.get('deployments', 'web', 'default')).spec.replicas).toBe(5)
    expect((await h.run('scale deploy web')).stderr).toBe('error: required flag(s) "replicas" not set\n')
  })

  test('label and annotate with --overwrite rules', async () => {
    expect((await h.run('label deploy web env=prod')).stdout).toBe('deployment.apps/web labeled\n')
    expect((await h.run('label deploy web env=dev')).stderr).toBe(
      "error: 'env' already has a value (prod), and --overwrite is false\n",
    )
    expect((await h.run('label deploy web env=dev --overwrite')).stdout).toBe('deployment.apps/web labeled\n')
    expect((await h.run('label deploy web env-')).stdout).toBe('deployment.apps/web unlabeled\n')
    expect((await h.run('annotate deploy web note=hi')).stdout).toBe('deployment.apps/web annotated\n')
    expect((await h.api.get('deployments', 'web', 'default')).metadata.annotations).toEqual({ note: 'hi' })
  })
})

describe('logs, exec, rollout, wait', () => {
  test('logs prints the container log, --tail keeps the last lines', async () => {
    h.api.logsText['kube-system/etcd-controlplane'] = 'one\ntwo\nthree\n'
    expect((await h.run('logs -n kube-system etcd-controlplane')).stdout).toBe('one\ntwo\nthree\n')
    expect((await h.run('logs etcd-controlplane -n kube-system --tail=1')).stdout).toBe('three\n')
    expect((await h.run('logs nope')).stderr).toBe('Error from server (NotFound): pods "nope" not found\n')
  })

  test('exec passes argv, namespace, container and node; failing commands report their code', async () => {
    const r = await h.run([
      '-n',
      'kube-system',
      'exec',
      'etcd-controlplane',
      '--',
      'etcdctl',
      'member',
      'list',
    ])
    expect(r.stdout).toBe('ran etcdctl member list in etcd-controlplane/etcd\n')
    expect(h.execCalls[0]).toMatchObject({
      namespace: 'kube-system',
      nodeName: 'controlplane',
      container: 'etcd',
    })
    const sh = await h.run([
      'exec',
      '-n',
      'kube-system',
      'etcd-controlplane',
      '--',
      'sh',
      '-c',
      'ls /var/lib/etcd',
    ])
    expect(h.execCalls[1].argv).toEqual(['sh', '-c', 'ls /var/lib/etcd'])
    expect(sh.exitCode).toBe(0)
    const bad = await h.run('exec -n kube-system etcd-controlplane -- false')
    expect(bad).toEqual({ stdout: '', stderr: 'command terminated with exit code 1\n', exitCode: 1 })
    expect((await h.run('exec -it -n kube-system etcd-controlplane -- ls')).stderr).toBe(
      'Unable to use a TTY - input is not a terminal or the right kind of file\n',
    )
    expect((await h.run('exec -n kube-system etcd-controlplane')).stderr).toBe(
      'error: you must specify at least one command for the container\n',
    )
  })

  test('rollout status waits on the clock until the deployment is available', async () => {
    const d = h.api.objects.get('deployments/default/web')!
    d.status = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0 }
    h.clock.schedule(3000, () => {
      d.status.availableReplicas = 2
    })
    const r = await h.run('rollout status deployment/web')
    expect(r.stdout).toBe(
      'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...\ndeployment "web" successfully rolled out\n',
    )
  })

  test('wait --for=condition, --for=delete and the timeout message', async () => {
    expect((await h.run('wait --for=condition=Ready pod/web-5d8f7c9b4-abcde')).stdout).toBe(
      'pod/web-5d8f7c9b4-abcde condition met\n',
    )
    const start = h.clock.now()
    const t = await h.run('wait --for=condition=Ready pod/etcd-controlplane -n kube-system --timeout=0s')
    expect(t.stdout).toBe('pod/etcd-controlplane condition met\n')
    const pod = h.api.objects.get('pods/default/web-5d8f7c9b4-fghij')!
    pod.status.conditions = [{ type: 'Ready', status: 'False' }]
    const late = await h.run('wait --for=condition=Ready pod/web-5d8f7c9b4-fghij --timeout=10s')
    expect(late).toEqual({
      stdout: '',
      stderr: 'error: timed out waiting for the condition on pods/web-5d8f7c9b4-fghij\n',
      exitCode: 1,
    })
    expect(h.clock.now() - start).toBe(10_000)
    h.clock.schedule(2000, () => h.api.objects.delete('pods/default/web-5d8f7c9b4-fghij'))
    expect((await h.run('wait --for=delete pod/web-5d8f7c9b4-fghij --timeout=30s')).stdout).toBe(
      'pod/web-5d8f7c9b4-fghij condition met\n',
    )
  })
})
