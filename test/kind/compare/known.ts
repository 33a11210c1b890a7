// What a real 1.20 node prints differently from run to run, by step id
// (compare/script.ts). The real kubelet and apiserver race with the clock, so
// one step can show either of two outputs; the simulator shows one of them.
//
// A variant never accepts a step on its own. It names the lines that vary
// and masks them on both sides; the masked real output must then be exactly
// one of the states the variant describes (every line of it), and the masked
// simulator output must equal the masked real output. So a real node whose
// apiserver crash-loops, or a simulator that prints something else, still
// fails the step. See judgeStep.

export interface RealVariant {
  /** What varies on the real node, and why. */
  why: string
  /** Replaces the lines (or parts) that vary with placeholders; applied to both sides. */
  mask(normalized: string): string
  /** The complete masked real output this variant allows: every line, nothing else. */
  expected: RegExp
}

// controlPlanePods drops the listing's last newline, so the last row runs into `[exit N]`.
const POD_ROW = (pod: string) =>
  new RegExp(`^(${pod}-<node>)\\t(\\d+/\\d+)\\t(\\w+)\\t(\\d+)\\t<age>(?=\\n|\\[exit |$)`, 'gm')

export const REAL_VARIANTS: Record<string, RealVariant> = {
  'pods-after-restore': {
    why: 'after the hostPath edit the real kubelet 1.20.2 sometimes keeps the restored (snapshot-era) etcd mirror pod, `1/1 Running`, as the simulator does, and sometimes posts a new one that shows `0/1 Pending` for minutes while etcd serves; and when etcd was away long enough, kube-controller-manager and kube-scheduler lose their leader lease and restart (RESTARTS 1, `0/1` until ready again), which the simulator does not model',
    mask: (t) =>
      t
        // etcd's mirror pod: Running 1/1 or a fresh Pending 0/1, never restarted
        .replace(POD_ROW('etcd'), (row, name, ready, status, restarts) =>
          (ready === '1/1' && status === 'Running') || (ready === '0/1' && status === 'Pending')
            ? `${name}\t<1/1 Running or 0/1 Pending>\t${restarts}\t<age>`
            : row,
        )
        // controller-manager and scheduler: Running, ready or not yet, restarted any number of times
        .replace(POD_ROW('kube-(?:controller-manager|scheduler)'), (row, name, ready, status) =>
          /^[01]\/1$/.test(ready) && status === 'Running'
            ? `${name}\t<0 or 1>/1\tRunning\t<restarts>\t<age>`
            : row,
        ),
    // The whole listing: header, the four control-plane pods in kubectl's order, the apiserver
    // untouched by the mask (1/1 Running 0), then the exit code.
    expected: new RegExp(
      [
        '^NAME\\tREADY\\tSTATUS\\tRESTARTS\\tAGE',
        'etcd-<node>\\t<1/1 Running or 0/1 Pending>\\t0\\t<age>',
        'kube-apiserver-<node>\\t1/1\\tRunning\\t0\\t<age>',
        'kube-controller-manager-<node>\\t<0 or 1>/1\\tRunning\\t<restarts>\\t<age>',
        'kube-scheduler-<node>\\t<0 or 1>/1\\tRunning\\t<restarts>\\t<age>\\n?\\[exit 0\\]$',
      ].join('\\n'),
    ),
  },
  'apiserver-while-etcd-down': {
    why: 'the first request after etcd stops waits for the apiserver; when its liveness probe restarts it during that wait, kubectl gets a reset HTTP/2 stream instead of the Timeout answer the simulator gives',
    mask: (t) =>
      t.replace(
        /^(?:Unable to connect to the server: stream error: stream ID \d+; INTERNAL_ERROR|Error from server \(Timeout\): the server was unable to return a response in the time allotted, but may still be processing the request \(get pods\))$/m,
        '<apiserver gave up on etcd: reset stream or Timeout>',
      ),
    expected: /^\[stderr\]\n<apiserver gave up on etcd: reset stream or Timeout>\n\[exit 1\]$/,
  },
}

export interface StepVerdict {
  /** The step compares equal (exactly, or through a variant). */
  ok: boolean
  /** The variant's `why`, when one was needed to accept the step. */
  variant?: string
  /** What was compared, for the failure message. */
  real: string
  sim: string
  reason?: string
}

/** Holds one step's normalized outputs against each other, through its known variant if it has one. */
export function judgeStep(
  id: string,
  realNormalized: string,
  simNormalized: string,
  variants: Record<string, RealVariant> = REAL_VARIANTS,
): StepVerdict {
  if (realNormalized === simNormalized) return { ok: true, real: realNormalized, sim: simNormalized }
  const variant = variants[id]
  if (!variant) return { ok: false, real: realNormalized, sim: simNormalized, reason: 'the outputs differ' }
  const real = variant.mask(realNormalized)
  const sim = variant.mask(simNormalized)
  if (!variant.expected.test(real)) {
    return {
      ok: false,
      real,
      sim,
      reason: 'the real output is not one of the states the known variant describes',
    }
  }
  if (real !== sim) {
    return { ok: false, real, sim, reason: 'after masking the varying lines the outputs still differ' }
  }
  return { ok: true, variant: variant.why, real, sim }
}
