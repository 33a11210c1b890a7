import { describe, expect, it } from 'vitest'
import { PROFILES } from '../../sim/profiles'
import { dockerfile, preparedTag } from './prepared-image'

describe('prepared node image recipe', () => {
  it('copies the etcd clients from the matching etcd image onto the node image', () => {
    const text = dockerfile('kindest/node:v1.34.0', 'registry.k8s.io/etcd:3.6.4-0')
    expect(text).toMatch(/^FROM registry\.k8s\.io\/etcd:3\.6\.4-0 AS etcd\nFROM kindest\/node:v1\.34\.0\n/)
    // etcdutl only exists in 3.6 images: a glob keeps the build working for 3.4/3.5
    expect(text).toContain('COPY --from=etcd /usr/local/bin/etcd[cu]tl* /usr/local/bin/')
    expect(text).toContain('ETCDCTL_API=3 etcdctl version')
    expect(text).toMatch(/vim\.tiny.*\n.*nano/s)
  })

  it('installs the ssh client and server when missing, without host keys of its own', () => {
    const text = dockerfile('kindest/node:v1.34.0', 'registry.k8s.io/etcd:3.6.4-0')
    expect(text).toContain('command -v ssh >/dev/null 2>&1 || ssh="openssh-client"')
    expect(text).toContain('[ -x /usr/sbin/sshd ] || ssh="$ssh openssh-server"')
    expect(text).toContain('apt-get install -y --no-install-recommends $missing $ssh')
    // every node makes its own host key when the cluster is set up
    expect(text).toContain('rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub')
    expect(text).toContain("'PermitRootLogin prohibit-password' 'PasswordAuthentication no'")
  })

  it('tags by Kubernetes version and a hash of the inputs, so a new base or recipe means a new image', () => {
    const recipe = dockerfile('kindest/node:v1.31.1', 'registry.k8s.io/etcd:3.5.15-0')
    const a = preparedTag(PROFILES['1.31'], 'sha256:aaa', 'sha256:eee', recipe)
    expect(a).toMatch(/^ckalab\/node:v1\.31\.1-tools-[0-9a-f]{10}$/)
    expect(preparedTag(PROFILES['1.31'], 'sha256:aaa', 'sha256:eee', recipe)).toBe(a)
    expect(preparedTag(PROFILES['1.31'], 'sha256:bbb', 'sha256:eee', recipe)).not.toBe(a)
    expect(preparedTag(PROFILES['1.31'], 'sha256:aaa', 'sha256:eee', `${recipe}RUN true\n`)).not.toBe(a)
  })
})
