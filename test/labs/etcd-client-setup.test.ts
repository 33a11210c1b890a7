import { proveLab } from './proof'

proveLab('etcd-client-setup', [
  {
    title: "exports appended to root's ~/.bashrc, no ETCDCTL_ENDPOINTS",
    script: [
      "echo 'export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt' >> ~/.bashrc",
      "echo 'export ETCDCTL_CERT=/etc/kubernetes/pki/etcd/healthcheck-client.crt' >> ~/.bashrc",
      "echo 'export ETCDCTL_KEY=/etc/kubernetes/pki/etcd/healthcheck-client.key' >> ~/.bashrc",
    ].join('\n'),
  },
])
