import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimCluster, type SimCluster } from '../cluster'
import type { SimNode } from '../node'
import { standardParts } from '../standard'
import { complete } from './complete'

let cluster: SimCluster
let node: SimNode
beforeAll(async () => {
  cluster = await createSimCluster({ controlPlanes: 1, kubernetes: '1.34' }, standardParts())
  node = cluster.nodes[0] as SimNode
})
afterAll(async () => {
  await cluster.dispose()
})

async function candidates(line: string): Promise<string[]> {
  const r = await complete({ node, cwd: '/root', home: '/root', shellWords: [] }, line, line.length)
  return r.candidates.map((c) => c.value)
}

describe('completion of the cluster tools', () => {
  it('kubectl: subcommands, resource types, objects of a type, namespaces and flags', async () => {
    expect(await candidates('kubectl ge')).toEqual(['get'])
    expect(await candidates('kubectl de')).toEqual(['debug', 'delete', 'describe'])
    expect(await candidates('kubectl get po')).toEqual(['pods'])
    expect(await candidates('kubectl get deploy')).toEqual(['deployments.apps'])
    expect(await candidates('kubectl -n kube-system get pods etcd-')).toEqual(['etcd-controlplane'])
    expect(await candidates('kubectl logs -n kube-system kube-ap')).toEqual(['kube-apiserver-controlplane'])
    expect(await candidates('kubectl get pods -n kube-')).toEqual([
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ])
    expect(await candidates('kubectl config use-')).toEqual(['use-context'])
    expect(await candidates('kubectl get pods --all-')).toEqual(['--all-namespaces'])
  })

  it('etcdctl, etcdutl and crictl: commands and subcommands, flags after sudo and VAR=value', async () => {
    expect(await candidates('etcdctl snap')).toEqual(['snapshot'])
    expect(await candidates('sudo ETCDCTL_API=3 etcdctl snapshot s')).toEqual(['save'])
    expect(await candidates('etcdctl endpoint ')).toEqual(['hashkv', 'health', 'status'])
    expect(await candidates('etcdctl --endp')).toEqual(['--endpoints'])
    expect(await candidates('etcdutl sn')).toEqual(['snapshot'])
    expect(await candidates('crictl p')).toEqual(['pods', 'port-forward', 'ps', 'pull'])
  })

  it('falls back to file names where the tool offers nothing (a file operand)', async () => {
    await node.fs.writeFile('/root/snap-test.db', 'x')
    expect(await candidates('etcdutl snapshot status snap-t')).toEqual(['snap-test.db'])
  })
})
