import { describe, expect, it } from 'vitest'
import { REAL_VARIANTS } from './known'
import { controlPlanePods, plain } from './normalize'

// The accepted variants are narrow: the other output the real node gives, not any output.

const seen = { node: 'ckalab-l1-control-plane' }
const pods = (etcd: string) =>
  controlPlanePods(
    `NAME                                   READY   STATUS    RESTARTS   AGE
etcd-ckalab-l1-control-plane           ${etcd}   0          4m10s
kube-apiserver-ckalab-l1-control-plane 1/1     Running   0          4m10s
`,
    seen,
  )

describe('the real node variants the comparison accepts', () => {
  it('pods-after-restore: a new etcd mirror pod still Pending, nothing else', () => {
    const v = REAL_VARIANTS['pods-after-restore']!
    expect(v.matches(pods('0/1     Pending'))).toBe(true)
    expect(v.matches(pods('1/1     Running'))).toBe(false)
    expect(v.matches(pods('0/1     CrashLoopBackOff'))).toBe(false)
    const restarted = controlPlanePods(
      'NAME  READY  STATUS  RESTARTS  AGE\nkube-scheduler-ckalab-l1-control-plane  0/1  Running  1  2m37s\n',
      seen,
    )
    expect(v.matches(restarted)).toBe(true)
    expect(v.matches(restarted.replace('\t1\t', '\t0\t'))).toBe(false)
  })

  it('apiserver-while-etcd-down: the reset stream, not any connection error', () => {
    const v = REAL_VARIANTS['apiserver-while-etcd-down']!
    const out = (stderr: string) => `[stderr]\n${plain(stderr, seen)}[exit 1]`
    expect(
      v.matches(out('Unable to connect to the server: stream error: stream ID 1; INTERNAL_ERROR\n')),
    ).toBe(true)
    expect(
      v.matches(
        out(
          'The connection to the server 172.18.0.2:6443 was refused - did you specify the right host or port?\n',
        ),
      ),
    ).toBe(false)
    expect(
      v.matches(
        `[stderr]\nUnable to connect to the server: stream error: stream ID 1; INTERNAL_ERROR\n[exit 0]`,
      ),
    ).toBe(false)
  })
})
