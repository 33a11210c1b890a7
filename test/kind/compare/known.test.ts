import { describe, expect, it } from 'vitest'
import { judgeStep, REAL_VARIANTS } from './known'
import { controlPlanePods, plain } from './normalize'

// A known real variant masks the varying lines on both sides and then the
// whole step is compared; the real output must be a state the variant
// describes line by line. These tests hold judgeStep to that, with outputs
// normalized the way replay.ts does it.

const seen = { node: 'ckalab-l1-control-plane' }

/** `kubectl get pods -n kube-system` as replay.ts normalizes it (exit 0). */
function podsStep(rows: { etcd: string; apiserver: string; kcm: string; scheduler: string }): string {
  const raw = `NAME                                            READY   STATUS    RESTARTS   AGE
etcd-${seen.node}                      ${rows.etcd}   4m10s
kube-apiserver-${seen.node}            ${rows.apiserver}   4m10s
kube-controller-manager-${seen.node}   ${rows.kcm}   4m10s
kube-scheduler-${seen.node}            ${rows.scheduler}   4m10s
`
  return `${controlPlanePods(raw, seen)}[exit 0]`
}

const RUNNING = '1/1     Running   0'
const SIM_PODS = podsStep({ etcd: RUNNING, apiserver: RUNNING, kcm: RUNNING, scheduler: RUNNING })

/** The predicate known.ts had before: one matching line anywhere accepted the step, the simulator unseen. */
const OLD_PODS_PREDICATE = (t: string) =>
  /^etcd-<node>\t0\/1\tPending\t0\t<age>$/m.test(t) ||
  /^kube-(controller-manager|scheduler)-<node>\t[01]\/1\tRunning\t[1-9]\d*\t<age>$/m.test(t)

describe('pods-after-restore through its known variant', () => {
  it('accepts the real node whose new etcd mirror pod is still Pending', () => {
    const real = podsStep({
      etcd: '0/1     Pending   0',
      apiserver: RUNNING,
      kcm: RUNNING,
      scheduler: RUNNING,
    })
    const v = judgeStep('pods-after-restore', real, SIM_PODS)
    expect(v.ok).toBe(true)
    expect(v.variant).toMatch(/Pending/)
  })

  it('accepts controller-manager and scheduler restarted after losing their lease', () => {
    const real = podsStep({
      etcd: RUNNING,
      apiserver: RUNNING,
      kcm: '0/1     Running   1',
      scheduler: '1/1     Running   2',
    })
    expect(judgeStep('pods-after-restore', real, SIM_PODS).ok).toBe(true)
  })

  it('does not accept a real node whose apiserver crash-loops, though the old predicate did', () => {
    const real = podsStep({
      etcd: '0/1     Pending   0',
      apiserver: '0/1     CrashLoopBackOff   5',
      kcm: RUNNING,
      scheduler: RUNNING,
    })
    // The old predicate saw the Pending etcd line and accepted the step whatever else it showed.
    expect(OLD_PODS_PREDICATE(real)).toBe(true)
    const v = judgeStep('pods-after-restore', real, SIM_PODS)
    expect(v.ok).toBe(false)
    expect(v.reason).toMatch(/not one of the states/)
  })

  it('does not accept a crash-looping etcd or scheduler, or a missing pod', () => {
    const crash = '0/1     CrashLoopBackOff   3'
    for (const rows of [
      { etcd: crash, apiserver: RUNNING, kcm: RUNNING, scheduler: RUNNING },
      { etcd: '0/1     Pending   0', apiserver: RUNNING, kcm: RUNNING, scheduler: crash },
    ]) {
      expect(judgeStep('pods-after-restore', podsStep(rows), SIM_PODS).ok).toBe(false)
    }
    const missing = SIM_PODS.replace(/^kube-scheduler-.*\n?/m, '')
    expect(
      judgeStep(
        'pods-after-restore',
        missing.replace(/\t1\/1\tRunning\t0\t<age>$/m, '\t0/1\tPending\t0\t<age>'),
        SIM_PODS,
      ).ok,
    ).toBe(false)
  })

  it('still compares the simulator: a variant on the real side does not excuse a wrong simulator', () => {
    const real = podsStep({
      etcd: '0/1     Pending   0',
      apiserver: RUNNING,
      kcm: RUNNING,
      scheduler: RUNNING,
    })
    const badSim = podsStep({
      etcd: RUNNING,
      apiserver: '0/1     Running   0',
      kcm: RUNNING,
      scheduler: RUNNING,
    })
    const v = judgeStep('pods-after-restore', real, badSim)
    expect(v.ok).toBe(false)
    expect(v.reason).toMatch(/still differ/)
  })
})

describe('apiserver-while-etcd-down through its known variant', () => {
  const step = (stderr: string, exit = 1) => `[stderr]\n${plain(stderr, seen)}[exit ${exit}]`
  const SIM = step(
    'Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (get pods)\n',
  )

  it('accepts the reset HTTP/2 stream against the simulator Timeout', () => {
    const real = step('Unable to connect to the server: stream error: stream ID 1; INTERNAL_ERROR\n')
    expect(judgeStep('apiserver-while-etcd-down', real, SIM).ok).toBe(true)
  })

  it('does not accept any other connection error, a zero exit, or a simulator that answers otherwise', () => {
    const refused = step(
      'The connection to the server 172.18.0.2:6443 was refused - did you specify the right host or port?\n',
    )
    expect(judgeStep('apiserver-while-etcd-down', refused, SIM).ok).toBe(false)
    const reset = 'Unable to connect to the server: stream error: stream ID 1; INTERNAL_ERROR\n'
    expect(judgeStep('apiserver-while-etcd-down', step(reset, 0), SIM).ok).toBe(false)
    expect(judgeStep('apiserver-while-etcd-down', step(reset), step('No resources found\n')).ok).toBe(false)
  })
})

describe('steps without a known variant', () => {
  it('are equal or they fail', () => {
    expect(judgeStep('member-list', 'a[exit 0]', 'a[exit 0]').ok).toBe(true)
    expect(judgeStep('member-list', 'a[exit 0]', 'b[exit 0]').ok).toBe(false)
    expect(Object.keys(REAL_VARIANTS).sort()).toEqual(['apiserver-while-etcd-down', 'pods-after-restore'])
  })
})
