import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { flagValue, hexId, parseJsonBig, resolveFromManifest, throughMounts } from './etcd'

function pod(args: string[], mountPath: string, hostPath: string): unknown {
  return parse(`
apiVersion: v1
kind: Pod
metadata: {name: etcd, namespace: kube-system}
spec:
  containers:
  - name: etcd
    command:
${['etcd', ...args].map((a) => `    - ${a}`).join('\n')}
    volumeMounts:
    - {mountPath: ${mountPath}, name: etcd-data}
    - {mountPath: /etc/kubernetes/pki/etcd, name: etcd-certs}
  volumes:
  - {name: etcd-certs, hostPath: {path: /etc/kubernetes/pki/etcd, type: DirectoryOrCreate}}
  - {name: etcd-data, hostPath: {path: ${hostPath}, type: DirectoryOrCreate}}
`)
}

describe('effective data directory from a manifest', () => {
  it.each([
    [
      'A: hostPath only',
      ['--data-dir=/var/lib/etcd'],
      '/var/lib/etcd',
      '/var/lib/etcd-from-backup',
      '/var/lib/etcd-from-backup',
    ],
    [
      'B: consistent rename',
      ['--data-dir=/var/lib/etcd-from-backup'],
      '/var/lib/etcd-from-backup',
      '/var/lib/etcd-from-backup',
      '/var/lib/etcd-from-backup',
    ],
    ['C: in place', ['--data-dir=/var/lib/etcd'], '/var/lib/etcd', '/var/lib/etcd', '/var/lib/etcd'],
    [
      'D: subdirectory of the mount',
      ['--data-dir=/var/lib/etcd/restored'],
      '/var/lib/etcd',
      '/var/lib/etcd',
      '/var/lib/etcd/restored',
    ],
    [
      'D: parent mounted',
      ['--data-dir=/var/lib/etcd-from-backup'],
      '/var/lib',
      '/var/lib',
      '/var/lib/etcd-from-backup',
    ],
    [
      'flag and value as two items, trailing slash',
      ['--data-dir', '/var/lib/etcd/'],
      '/var/lib/etcd/',
      '/var/lib/etcd-from-backup/',
      '/var/lib/etcd-from-backup',
    ],
    ['single dash flag', ['-data-dir=/var/lib/etcd'], '/var/lib/etcd', '/srv/etcd', '/srv/etcd'],
  ])('%s', (_name, args, mountPath, hostPath, expected) => {
    const r = resolveFromManifest(pod(args, mountPath, hostPath))
    expect(r.problem).toBeUndefined()
    expect(r.hostPath).toBe(expected)
  })

  it('reports data that no mount covers (only --data-dir changed)', () => {
    const r = resolveFromManifest(
      pod(['--data-dir=/var/lib/etcd-from-backup'], '/var/lib/etcd', '/var/lib/etcd'),
    )
    expect(r.hostPath).toBeUndefined()
    expect(r.problem).toMatch(/no volume is mounted at \/var\/lib\/etcd-from-backup/)
  })

  it('does not treat /var/lib/etcd-x as inside a mount at /var/lib/etcd', () => {
    expect(
      throughMounts('/var/lib/etcd-x', [{ containerPath: '/var/lib/etcd', hostPath: '/h' }]).hostPath,
    ).toBeUndefined()
  })

  it("falls back to etcd's default <name>.etcd when --data-dir is missing", () => {
    expect(resolveFromManifest(pod(['--name=cp'], '/var/lib/etcd', '/var/lib/etcd')).dataDir).toBe('/cp.etcd')
  })
})

describe('small parsers', () => {
  it('reads the last value of a flag in any form', () => {
    expect(flagValue(['--a=1', '--a', '2'], 'a')).toBe('2')
    expect(flagValue(['--ab=1'], 'a')).toBeUndefined()
  })

  it('keeps 64-bit IDs exact', () => {
    const j = parseJsonBig(
      '{"header":{"cluster_id":14841639068965178418,"revision":5},"members":[{"ID":10276657743932975437}]}',
    )
    expect(hexId(j.header.cluster_id)).toBe('cdf818194e3a8c32')
    expect(hexId(j.members[0].ID)).toBe('8e9e05c52164694d')
    expect(j.header.revision).toBe(5)
    expect(hexId('0e58c878e0e01014')).toBe('e58c878e0e01014')
  })
})
