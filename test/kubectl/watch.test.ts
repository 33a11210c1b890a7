import { InMemoryFs } from 'just-bash'
import { expect, test } from 'vitest'
import { VirtualClock } from '../../simulator/src/sim/clock'
import type { SimCommandContext, Tty } from '../../simulator/src/sim/commands/types'
import { runKubectl } from '../../simulator/src/sim/k8s/kubectl/index'
import { getProfile } from '../../simulator/src/sim/profiles'
import { ADMIN_CONF, FakeApi } from './fake-api'
import { seedCluster } from './fixtures'

// `kubectl get -w` at a terminal streams changes until Ctrl-C.

test('get pods -w writes the table, then one line per change, and ends with 130 on Ctrl-C', async () => {
  const virtual = new VirtualClock(Date.UTC(2026, 0, 15, 9, 0, 0))
  const api = new FakeApi(virtual)
  seedCluster(api)
  const controller = new AbortController()
  let ticks = 0
  // A live clock whose seconds pass at once; the third tick changes the etcd pod, the fifth is Ctrl-C.
  const clock = {
    virtual: false,
    now: () => virtual.now(),
    schedule: () => () => {},
    advance: async () => {},
    async sleep(ms: number, signal?: AbortSignal) {
      await virtual.advance(ms)
      ticks++
      if (ticks === 3) {
        const pod = api.objects.get('pods/kube-system/etcd-controlplane')!
        pod.status.containerStatuses[0].ready = false
        pod.status.containerStatuses[0].state = { waiting: { reason: 'CrashLoopBackOff' } }
      }
      if (ticks === 5) controller.abort()
      if (signal?.aborted) {
        const e = new Error('interrupted')
        e.name = 'AbortError'
        throw e
      }
    },
  }
  let screen = ''
  const tty: Tty = {
    size: { cols: 120, rows: 40 },
    write: (d) => {
      screen += d
    },
    onInput: () => () => {},
    onResize: () => () => {},
  }
  const fs = new InMemoryFs()
  fs.mkdirSync('/root/.kube', { recursive: true })
  fs.writeFileSync('/root/.kube/config', ADMIN_CONF)
  const ctx = {
    node: { name: 'controlplane', cluster: { clock, profile: getProfile('1.34') } },
    args: ['get', 'pods', '-n', 'kube-system', '-w'],
    cwd: '/root',
    env: { HOME: '/root' },
    stdin: '',
    fs,
    tty,
    signal: controller.signal,
    exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }),
  } as unknown as SimCommandContext
  await expect(runKubectl(ctx, { client: () => api })).rejects.toMatchObject({ name: 'AbortError' })
  expect(screen).toBe(
    'NAME                READY   STATUS    RESTARTS   AGE\r\netcd-controlplane   1/1     Running   0          5m12s\r\n' +
      'etcd-controlplane   0/1   CrashLoopBackOff   0     5m15s\r\n',
  )
})
