// What a real 1.20 node prints differently from run to run, by step id
// (compare/script.ts). The real kubelet and apiserver race with the clock, so
// one step can show either of two outputs; the simulator shows one of them.
// A real output that matches a variant here is accepted; any other difference
// fails the comparison.

export interface RealVariant {
  /** What varies on the real node, and why. */
  why: string
  /** Whether the real node's normalized output is this variant. */
  matches(realNormalized: string): boolean
}

export const REAL_VARIANTS: Record<string, RealVariant> = {
  'pods-after-restore': {
    why: 'after the hostPath edit the real kubelet 1.20.2 sometimes keeps the restored (snapshot-era) etcd mirror pod, `1/1 Running`, as the simulator does, and sometimes posts a new one that shows `0/1 Pending` for minutes while etcd serves; and when etcd was away long enough, kube-controller-manager and kube-scheduler lose their leader lease and restart (RESTARTS 1, `0/1` until ready again), which the simulator does not model',
    matches: (t) =>
      /^etcd-<node>\t0\/1\tPending\t0\t<age>$/m.test(t) ||
      /^kube-(controller-manager|scheduler)-<node>\t[01]\/1\tRunning\t[1-9]\d*\t<age>$/m.test(t),
  },
  'apiserver-while-etcd-down': {
    why: 'the first request after etcd stops waits for the apiserver; when its liveness probe restarts it during that wait, kubectl gets a reset HTTP/2 stream instead of the Timeout answer the simulator gives',
    matches: (t) =>
      /^\[stderr\]\nUnable to connect to the server: stream error: stream ID \d+; INTERNAL_ERROR\n\[exit 1\]$/.test(
        t,
      ),
  },
}
