import type { KubeObject } from '../../simulator/src/sim/k8s/api'
import type { FakeApi } from './fake-api'

// Objects shaped like a fresh kubeadm control plane plus one deployment.

export function ago(api: FakeApi, seconds: number): string {
  return new Date(api.clock.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
}

export function etcdPod(api: FakeApi, node = 'controlplane', ip = '172.30.1.2'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `etcd-${node}`,
      namespace: 'kube-system',
      creationTimestamp: ago(api, 312),
      labels: { component: 'etcd', tier: 'control-plane' },
      annotations: {
        'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379`,
        'kubernetes.io/config.hash': 'a1b2c3',
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: 'n1', controller: true }],
    },
    spec: {
      nodeName: node,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      hostNetwork: true,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'etcd',
          image: 'registry.k8s.io/etcd:3.6.4-0',
          command: ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--data-dir=/var/lib/etcd'],
          resources: { requests: { cpu: '100m', memory: '100Mi' } },
          livenessProbe: {
            httpGet: { host: '127.0.0.1', path: '/livez', port: 2381, scheme: 'HTTP' },
            initialDelaySeconds: 10,
            timeoutSeconds: 15,
            periodSeconds: 10,
            failureThreshold: 8,
          },
          volumeMounts: [
            { mountPath: '/var/lib/etcd', name: 'etcd-data' },
            { mountPath: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' },
          ],
        },
      ],
      volumes: [
        { name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' } },
        { name: 'etcd-data', hostPath: { path: '/var/lib/etcd', type: 'DirectoryOrCreate' } },
      ],
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
    },
    status: {
      phase: 'Running',
      hostIP: ip,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ago(api, 310),
      qosClass: 'Burstable',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'etcd',
          ready: true,
          restartCount: 0,
          image: 'registry.k8s.io/etcd:3.6.4-0',
          imageID: 'sha256:5f1f5298c888',
          containerID: 'containerd://3f4e5d',
          state: { running: { startedAt: ago(api, 309) } },
        },
      ],
    },
  }
}

export function seedCluster(api: FakeApi): void {
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    api.add('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, creationTimestamp: ago(api, 400) },
      status: { phase: 'Active' },
    })
  api.add('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'controlplane',
      creationTimestamp: ago(api, 400),
      labels: { 'kubernetes.io/hostname': 'controlplane', 'node-role.kubernetes.io/control-plane': '' },
    },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: '172.30.1.2' },
        { type: 'Hostname', address: 'controlplane' },
      ],
      capacity: { cpu: '2', memory: '4026524Ki', pods: '110' },
      allocatable: { cpu: '2', memory: '3924124Ki', pods: '110' },
      nodeInfo: {
        kubeletVersion: 'v1.34.1',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-18-amd64',
        containerRuntimeVersion: 'containerd://2.1.4',
      },
    },
  })
  api.add('pods', etcdPod(api))
  api.add('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
      creationTimestamp: ago(api, 400),
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
  })
  api.add('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      generation: 1,
      labels: { app: 'web' },
      creationTimestamp: ago(api, 7200),
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    },
  })
  for (const suffix of ['abcde', 'fghij'])
    api.add('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `web-5d8f7c9b4-${suffix}`,
        namespace: 'default',
        labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' },
        creationTimestamp: ago(api, 7190),
      },
      spec: { nodeName: 'controlplane', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      status: {
        phase: 'Running',
        podIP: '10.244.0.5',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: ago(api, 7180) } } },
        ],
      },
    })
}
