import { describe, expect, it } from 'vitest'
import { ApiError } from '../../simulator/src/sim/k8s/api'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { agentOf } from '../../simulator/src/sim/k8s/world'
import { cluster, pass, running, sh } from './helpers'

describe('kubelet static pods', () => {
  it('boots a kubeadm-like cluster: mirror pods, nodes Ready, system namespaces', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    const api = apiClientFor(node)
    const pods = await api.list('pods', { namespace: 'kube-system' })
    const names = pods.map((p) => p.metadata.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'etcd-controlplane',
        'kube-apiserver-controlplane',
        'kube-controller-manager-controlplane',
        'kube-scheduler-controlplane',
      ]),
    )
    expect(pods.every((p) => p.status?.phase === 'Running')).toBe(true)
    const mirror = pods.find((p) => p.metadata.name === 'etcd-controlplane')
    expect(mirror?.metadata.annotations?.['kubernetes.io/config.source']).toBe('file')
    expect((await api.list('namespaces')).map((n) => n.metadata.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']),
    )
    const n = await api.get('nodes', 'controlplane')
    expect(n.status.conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('True')
    const keys = await sh(
      node,
      `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry --prefix --keys-only`,
    )
    expect(keys.stdout).toContain('/registry/namespaces/kube-system')
    expect(keys.stdout).toContain('/registry/minions/controlplane')
    expect(keys.stdout).toContain('/registry/pods/kube-system/etcd-controlplane')
  })

  it('recreates etcd after sed -i on etcd.yaml', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    const before = running(node, 'etcd')[0]
    expect(before).toBeDefined()
    await sh(
      node,
      "sed -i 's/--snapshot-count=10000/--snapshot-count=5000/' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    const after = running(node, 'etcd')
    expect(after).toHaveLength(1)
    expect(after[0]?.id).not.toBe(before?.id)
    expect(after[0]?.argv).toContain('--snapshot-count=5000')
    const j = await sh(node, 'journalctl -u kubelet --no-pager')
    expect(j.stdout).toContain('"Killing container with a grace period"')
    expect((await apiClientFor(node).list('pods', { namespace: 'kube-system' })).length).toBeGreaterThan(3)
  })

  it('broken YAML: the relist stops the pod and logs why; fixing brings it back', async () => {
    const c = await cluster({ kubernetes: '1.20' })
    const node = c.nodes[0]
    await sh(
      node,
      "cp /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.good && sed -i 's/^metadata:/metadata/' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 21_000)
    expect(running(node, 'etcd')).toHaveLength(0)
    const j = await sh(node, 'journalctl -u kubelet --no-pager')
    expect(j.stdout).toMatch(
      /Unable to process watch event: can't process config file "\/etc\/kubernetes\/manifests\/etcd.yaml": \/etc\/kubernetes\/manifests\/etcd.yaml: couldn't parse as pod\(yaml: line \d+: .*\), please check config file/,
    )
    let err: unknown
    try {
      await apiClientFor(node).list('pods')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).message).toMatch(/Timeout|refused|TLS handshake/)
    await sh(node, 'cp /root/etcd.yaml.good /etc/kubernetes/manifests/etcd.yaml')
    await pass(c, 10_000)
    expect(running(node, 'etcd')).toHaveLength(1)
    const pods = await apiClientFor(node).list('pods', { namespace: 'kube-system' })
    expect(pods.map((p) => p.metadata.name)).toContain('etcd-controlplane')
  })

  it('manifest moved out stops the pod; moved back starts it', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    await sh(node, 'mv /etc/kubernetes/manifests/etcd.yaml /tmp/')
    await pass(c, 2000)
    expect(running(node, 'etcd')).toHaveLength(0)
    const ps = await sh(node, 'crictl ps | grep etcd')
    expect(ps.stdout).toBe('')
    await sh(node, 'mv /tmp/etcd.yaml /etc/kubernetes/manifests/')
    await pass(c, 5000)
    expect(running(node, 'etcd')).toHaveLength(1)
  })

  it('a .bak copy in the folder is a duplicate pod name, logged and ignored; dot files are ignored', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    await sh(
      node,
      'cp /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/manifests/etcd.yaml.bak; echo "junk: [" > /etc/kubernetes/manifests/.etcd.yaml.swp',
    )
    await pass(c, 21_000)
    expect(running(node, 'etcd')).toHaveLength(1)
    const j = await sh(node, 'journalctl -u kubelet --no-pager')
    expect(j.stdout).toContain('"Pod failed validation due to duplicate pod name, ignoring"')
    expect(j.stdout).not.toContain('.etcd.yaml.swp')
  })

  it('a data dir outside the mounts lives in the container and is lost with it', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    await sh(
      node,
      "sed -i 's#--data-dir=/var/lib/etcd#--data-dir=/var/lib/etcd-new#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    const etcd = running(node, 'etcd')[0]
    expect(etcd?.fs.hostPathOf('/var/lib/etcd-new')).toBeUndefined()
    expect(await node.fs.exists('/var/lib/etcd-new')).toBe(false)
    expect(await etcd?.fs.exists('/var/lib/etcd-new/member')).toBe(true)
  })

  it('crictl, ps, systemctl and journalctl agree with the runtime', async () => {
    const c = await cluster({ kubernetes: '1.31' })
    const node = c.nodes[0]
    const id = running(node, 'etcd')[0]?.id.slice(0, 13) ?? ''
    const ps = await sh(node, 'crictl ps --name etcd -q')
    expect(ps.stdout.trim()).toBe(running(node, 'etcd')[0]?.id)
    const insp = JSON.parse((await sh(node, `crictl inspect ${id}`)).stdout)
    expect(insp.status.mounts.map((m: { hostPath: string }) => m.hostPath)).toContain('/var/lib/etcd')
    const aux = await sh(node, 'ps aux | grep etcd')
    expect(aux.stdout).toContain('etcd --advertise-client-urls=https://172.30.1.2:2379')
    const st = await sh(node, 'systemctl status kubelet')
    expect(st.stdout).toContain('Active: active (running)')
    await sh(node, 'systemctl stop kubelet')
    expect((await sh(node, 'systemctl status kubelet')).exitCode).toBe(3)
    await sh(node, 'systemctl start kubelet')
    expect((await sh(node, 'systemctl is-active kubelet')).stdout).toBe('active\n')
    const noEtcdutl = await sh(node, `crictl exec ${id} etcdutl version`)
    expect(noEtcdutl.stderr).toContain('exec: "etcdutl": executable file not found in $PATH: unknown')
    const inside = await sh(
      node,
      `crictl exec ${id} etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key endpoint health`,
    )
    expect(inside.stdout + inside.stderr).toContain('is healthy')
    expect(agentOf(node).journal.entries.length).toBeGreaterThan(5)
  })
})

describe('kubelet with bad manifests', () => {
  it('never crashes on junk in the manifest folder', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    const junk = [
      'kind: Pod',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: "nope"',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: busybox\n    volumeMounts:\n    - name: missing\n      mountPath: /x',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  volumes: 7\n  containers:\n  - name: a\n    image: busybox\n    command: [sleep, "3600"]',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: z',
      '- a\n- b',
      '\u0000\u0001\u0002binary',
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"nginx"}],"volumes":[{"name":"v","hostPath":{"path":"/data/j","type":"Directory"}}]}}',
    ]
    for (const [i, text] of junk.entries())
      await node.fs.writeFile(`/etc/kubernetes/manifests/junk${i}.yaml`, text)
    await node.fs.mkdir('/etc/kubernetes/manifests/subdir')
    await pass(c, 25_000)
    expect(running(node, 'etcd')).toHaveLength(1)
    expect(running(node, 'a').length).toBe(1)
    const j = await sh(node, 'journalctl -u kubelet --no-pager')
    expect(j.stdout).toContain(
      'invalid pod: [spec.containers[0].volumeMounts[0].name: Not found: \\"missing\\"]',
    )
    expect(j.stdout).toContain('hostPath type check failed: /data/j is not a directory')
    expect(
      (await apiClientFor(node).list('pods', { namespace: 'default' })).map((p) => p.metadata.name),
    ).toContain('y-controlplane')
  })
})

describe('runtime changes behind the kubelet', () => {
  it('crictl stopp on the etcd pod: the kubelet starts a new sandbox and container', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    const before = running(node, 'etcd')[0]
    const r = await sh(node, 'crictl stopp $(crictl pods --name etcd -q)')
    expect(r.stdout).toMatch(/^Stopped sandbox [0-9a-f]{64}\n$/)
    expect(running(node, 'etcd')).toHaveLength(0)
    await pass(c, 5000)
    const after = running(node, 'etcd')
    expect(after).toHaveLength(1)
    expect(after[0]?.sandboxId).not.toBe(before?.sandboxId)
    const pods = await sh(node, 'crictl pods --name etcd')
    expect(pods.stdout).toContain('NotReady')
  })
})
