import { proveLab } from './proof'

proveLab('etcd-manifest-repair', [
  {
    title: 'manifest edited through a copy outside the folder, kubelet restarted',
    script: [
      'cp /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml',
      "sed -i -e 's#server.cert$#server.crt#' -e 's#--data-dir=/var/lib/etcd-data#--data-dir=/var/lib/etcd#' /root/etcd.yaml",
      'cp /root/etcd.yaml /etc/kubernetes/manifests/etcd.yaml',
      'systemctl restart kubelet',
      'sleep 60',
    ].join('\n'),
  },
])
