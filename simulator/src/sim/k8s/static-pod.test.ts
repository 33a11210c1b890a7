import { describe, expect, it } from 'vitest'
import { bindMountsOf, parseStaticPod } from './static-pod'

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
    - --data-dir=/var/lib/etcd
    image: registry.k8s.io/etcd:3.6.4-0
    name: etcd
    volumeMounts:
    - mountPath: /var/lib/etcd
      name: etcd-data
  volumes:
  - hostPath:
      path: /var/lib/etcd-from-backup
      type: DirectoryOrCreate
    name: etcd-data
`
const SRC = '/etc/kubernetes/manifests/etcd.yaml'

describe('static pod manifests', () => {
  it('parses a pod and joins its mounts with hostPath volumes', () => {
    const r = parseStaticPod(POD, SRC, 'controlplane')
    if (!r.ok) throw new Error(r.error)
    expect(r.pod.name).toBe('etcd')
    expect(bindMountsOf(r.pod, r.pod.containers[0] as never)).toEqual([
      { containerPath: '/var/lib/etcd', hostPath: '/var/lib/etcd-from-backup', readOnly: false },
    ])
  })

  it('gives a different hash for any change and for another source file', () => {
    const a = parseStaticPod(POD, SRC, 'controlplane')
    const b = parseStaticPod(POD.replace('etcd-from-backup', 'etcd'), SRC, 'controlplane')
    const c = parseStaticPod(POD, `${SRC}.bak`, 'controlplane')
    if (!a.ok || !b.ok || !c.ok) throw new Error('parse failed')
    expect(new Set([a.pod.hash, b.pod.hash, c.pod.hash]).size).toBe(3)
  })

  it('reports broken YAML in go-yaml words', () => {
    const r = parseStaticPod(POD.replace('metadata:', 'metadata'), SRC, 'controlplane')
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.error).toBe(
        `${SRC}: couldn't parse as pod(yaml: line 4: could not find expected ':'), please check config file`,
      )
  })

  it('reports an empty file as a missing Kind and an invalid pod by its field errors', () => {
    const empty = parseStaticPod('', SRC, 'n')
    if (empty.ok) throw new Error('should fail')
    expect(empty.error).toContain("Object 'Kind' is missing in 'null'")
    const noImage = parseStaticPod(POD.replace('    image: registry.k8s.io/etcd:3.6.4-0\n', ''), SRC, 'n')
    if (noImage.ok) throw new Error('should fail')
    expect(noImage.error).toBe('invalid pod: [spec.containers[0].image: Required value]')
  })
})
