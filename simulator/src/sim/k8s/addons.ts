import type { SimCluster } from '../cluster'
import { type ApiClient, ApiError, type KubeObject } from './api'
import { apiClientFor } from './client'

// What `kubeadm init` puts into a new cluster besides the static pods:
// CoreDNS, kube-proxy, their config maps and the kubeadm/kubelet configs.

function coreDnsImage(cluster: SimCluster): string {
  const p = cluster.profile
  if (p.id === '1.20') return 'k8s.gcr.io/coredns:1.7.0'
  if (p.id === '1.31') return 'registry.k8s.io/coredns/coredns:v1.11.3'
  return 'registry.k8s.io/coredns/coredns:v1.12.1'
}

async function ensure(api: ApiClient, resource: string, obj: KubeObject): Promise<void> {
  try {
    await api.create(resource, obj)
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'already-exists') return
    throw err
  }
}

export async function installAddons(cluster: SimCluster): Promise<void> {
  const cp = cluster.controlPlanes[0]
  if (!cp) return
  const api = apiClientFor(cp)
  const p = cluster.profile
  const kubeadmConfig =
    `apiServer:\n  extraArgs:\n    authorization-mode: Node,RBAC\n  timeoutForControlPlane: 4m0s\napiVersion: kubeadm.k8s.io/${p.id === '1.20' ? 'v1beta2' : p.id === '1.31' ? 'v1beta3' : 'v1beta4'}\n` +
    `certificatesDir: /etc/kubernetes/pki\nclusterName: kubernetes\ncontrollerManager: {}\ndns: {}\netcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: ${p.registry}\nkind: ClusterConfiguration\nkubernetesVersion: ${p.kubernetesVersion}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\nscheduler: {}\n`
  await ensure(api, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: kubeadmConfig },
  })
  await ensure(api, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: p.id === '1.20' ? 'kubelet-config-1.20' : 'kubelet-config', namespace: 'kube-system' },
    data: {
      kubelet:
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n',
    },
  })
  await ensure(api, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: {
      Corefile:
        '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n',
    },
  })
  await ensure(api, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
    data: {
      'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ""\n',
    },
  })
  for (const sa of ['coredns', 'kube-proxy'])
    await ensure(api, 'serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: sa, namespace: 'kube-system' },
    })
  await ensure(api, 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      type: 'ClusterIP',
    },
  })
  const controlPlaneToleration = [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    {
      effect: 'NoSchedule',
      key: p.id === '1.20' ? 'node-role.kubernetes.io/master' : 'node-role.kubernetes.io/control-plane',
      operator: 'Exists',
    },
  ]
  await ensure(api, 'deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: coreDnsImage(cluster),
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
            },
          ],
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: controlPlaneToleration,
        },
      },
    },
  })
  await ensure(api, 'daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          containers: [
            {
              name: 'kube-proxy',
              image: `${p.registry}/kube-proxy:${p.kubernetesVersion}`,
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
            },
          ],
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  })
}
