import { afterEach, describe, expect, test } from 'vitest'
import type { SimCluster } from '../../simulator/src/sim/cluster'
import type { SimNode } from '../../simulator/src/sim/node'
import { cluster, deployments, pass, sh } from '../k8s/helpers'

// The seed tutorial, as a learner follows it (kubernetes.io "Operating etcd
// clusters for Kubernetes" style, reference §4): every etcdctl command typed
// as `sudo ETCDCTL_API=3 etcdctl --endpoints … --cacert … --cert … --key …`.
// The inspection part runs on each of three control planes, the backup,
// restore and manifest edit on a single control plane; each step is checked
// the way the learner reads its output.

const ETCDCTL =
  'sudo ETCDCTL_API=3 etcdctl --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key'

let env: SimCluster | undefined
afterEach(async () => {
  await env?.dispose()
  env = undefined
})

async function ok(node: SimNode, line: string) {
  const r = await sh(node, line)
  expect(r.exitCode, `${node.name}$ ${line}\n${r.stderr}`).toBe(0)
  return r
}

describe('the seed tutorial with sudo', () => {
  test('inspection on three control planes: member list, endpoint status and health', async () => {
    env = await cluster({ controlPlanes: 3, kubernetes: '1.31' })
    const names = env.nodes.map((n) => n.name)
    for (const node of env.nodes) {
      // Where the certificates are: the etcd static pod's manifest, readable with sudo only.
      const m = await ok(
        node,
        "sudo grep -E -- '--(cert|key|trusted-ca)-file' /etc/kubernetes/manifests/etcd.yaml",
      )
      expect(m.stdout).toContain('--cert-file=/etc/kubernetes/pki/etcd/server.crt')
      const members = await ok(node, `${ETCDCTL} member list`)
      const rows = members.stdout.trim().split('\n')
      expect(rows).toHaveLength(3)
      for (const name of names) expect(members.stdout).toMatch(new RegExp(`, started, ${name}, https://`))
      const table = await ok(node, `${ETCDCTL} member list -w table`)
      expect(table.stdout).toMatch(
        /\| +ID +\| +STATUS +\| +NAME +\| +PEER ADDRS +\| +CLIENT ADDRS +\| +IS LEARNER +\|/,
      )
      const status = await ok(node, `${ETCDCTL} endpoint status --cluster -w table`)
      expect(status.stdout.match(/\| +true +\| +false +\|/g) ?? []).toHaveLength(1)
      const health = await ok(node, `${ETCDCTL} endpoint health --cluster`)
      expect(health.stdout.match(/is healthy: successfully committed proposal/g) ?? []).toHaveLength(3)
    }
    // Without sudo's variable the environment variable set earlier does not reach etcdctl (env_reset).
    const reset = await sh(
      env.nodes[0] as SimNode,
      'export ETCDCTL_API=2; sudo printenv ETCDCTL_API; echo "status $?"',
    )
    expect(reset.stdout).toBe('status 1\n')
  })

  for (const profile of ['1.20', '1.31'] as const) {
    test(`backup, restore into a new directory and the manifest edit on one control plane (${profile})`, async () => {
      env = await cluster({ kubernetes: profile })
      const node = env.nodes[0] as SimNode
      await ok(node, 'kubectl create deployment before-backup --image=nginx')
      await pass(env, 3000)
      const save = await ok(node, `${ETCDCTL} snapshot save /opt/etcd-backup.db`)
      expect(save.stdout).toBe('Snapshot saved at /opt/etcd-backup.db\n')
      // etcdctl writes the snapshot 0600, owned by the user sudo ran it as.
      const ls = await ok(node, 'ls -l /opt/etcd-backup.db')
      expect(ls.stdout).toMatch(
        /^-rw------- 1 root root \d+ \w{3} [ \d]\d \d\d:\d\d \/opt\/etcd-backup\.db\n$/,
      )
      const st = await ok(node, `${ETCDCTL} --write-out=table snapshot status /opt/etcd-backup.db`)
      expect(st.stdout).toMatch(/\| +HASH +\| +REVISION +\| +TOTAL KEYS +\| +TOTAL SIZE +\|/)

      await ok(node, 'kubectl create deployment after-backup --image=nginx')
      await pass(env, 3000)
      expect(await deployments(node)).toEqual(['after-backup', 'before-backup'])

      const restore = await ok(
        node,
        `${ETCDCTL} --data-dir /var/lib/etcd-from-backup snapshot restore /opt/etcd-backup.db`,
      )
      expect(restore.stderr).toMatch(/restored snapshot/)
      const dir = await ok(node, 'sudo ls -ld /var/lib/etcd-from-backup')
      expect(dir.stdout).toMatch(/^drwx------ 3 root root 4096 /)
      const wal = await ok(node, 'sudo ls -l /var/lib/etcd-from-backup/member/wal')
      expect(wal.stdout).toMatch(
        /-rw------- 1 root root 64000000 .* 0000000000000000-0000000000000000\.wal\n$/,
      )

      // The hostPath of the etcd-data volume, and nothing else, points at the restored directory.
      await ok(
        node,
        "sudo sed -i 's#^\\( *\\)path: /var/lib/etcd$#\\1path: /var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
      )
      const edited = await ok(node, 'sudo grep -n "etcd-from-backup" /etc/kubernetes/manifests/etcd.yaml')
      expect(edited.stdout.trim().split('\n')).toHaveLength(1)
      const mode = await ok(node, "sudo stat -c '%a %U' /etc/kubernetes/manifests/etcd.yaml")
      expect(mode.stdout).toBe('600 root\n')
      await pass(env, 30_000)

      const after = await ok(node, `${ETCDCTL} member list`)
      expect(after.stdout).toMatch(/, started, /)
      // etcdctl 3.4 prints the health line on stderr, 3.5 on stdout.
      const health = await ok(node, `${ETCDCTL} endpoint health`)
      expect(health.stdout + health.stderr).toMatch(/https:\/\/127\.0\.0\.1:2379 is healthy/)
      const deploys = await ok(node, 'kubectl get deployments')
      expect(deploys.stdout).toContain('before-backup')
      expect(deploys.stdout).not.toContain('after-backup')
      // The live etcd now writes to the restored directory: it has the spare WAL segment a running member keeps.
      const live = await ok(node, 'sudo ls /var/lib/etcd-from-backup/member/wal')
      expect(live.stdout).toContain('0.tmp')
    })
  }
})
