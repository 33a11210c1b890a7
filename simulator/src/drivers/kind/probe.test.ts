import { describe, expect, it } from 'vitest'
import { describeProblems, type HostFacts, problems } from './probe'
import { parseKindVersion } from './versions'

const GIB = 1024 ** 3
const healthy: HostFacts = {
  dockerMemoryBytes: 16 * GIB,
  kind: { path: '/usr/local/bin/kind', version: parseKindVersion('kind v0.30.0 go1.24 linux/amd64')! },
  inotify: { maxUserWatches: 524288, maxUserInstances: 512 },
}

describe('kind probe decisions', () => {
  it('finds nothing missing on a healthy host', () => {
    expect(problems(healthy, 3)).toEqual([])
    expect(describeProblems([])).toBeUndefined()
  })

  it('explains an unreachable Docker daemon with the fix', () => {
    const text = describeProblems(
      problems({
        ...healthy,
        dockerError: 'connect ENOENT /var/run/docker.sock',
        dockerMemoryBytes: undefined,
      }),
    )
    expect(text).toContain('the Docker daemon is unreachable (connect ENOENT /var/run/docker.sock)')
    expect(text).toContain('install-docker.sh')
  })

  it('explains a missing or too old kind', () => {
    expect(describeProblems(problems({ ...healthy, kind: { path: 'kind', error: 'not found' } }))).toMatch(
      /kind is not usable at kind \(not found\); fix: install kind v0.11.0 or newer/,
    )
    expect(
      describeProblems(
        problems({ ...healthy, kind: { path: 'kind', version: parseKindVersion('kind v0.8.1 go1.14')! } }),
      ),
    ).toMatch(/kind v0.8.1 at kind is too old/)
  })

  it('scales the memory need with the control planes', () => {
    const facts = { ...healthy, dockerMemoryBytes: 3 * GIB }
    expect(problems(facts, 1)).toEqual([])
    expect(describeProblems(problems(facts, 3))).toMatch(
      /Docker has 3.0 GiB of memory; 3 control plane\(s\) need about 6.0 GiB/,
    )
  })

  it('checks inotify limits only for several control planes, and prints the sysctl', () => {
    const facts = { ...healthy, inotify: { maxUserWatches: 8192, maxUserInstances: 128 } }
    expect(problems(facts, 1)).toEqual([])
    const text = describeProblems(problems(facts, 3))!
    expect(text).toMatch(/max_user_watches 8192, max_user_instances 128/)
    expect(text).toContain('sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512')
  })
})
