import type { ClusterSpec, Progress } from '../../seam'

// Turns kind's status lines into Progress events. kind prints ` • Step ...`
// when a step starts and ` ✓ Step` / ` ✗ Step` when it ends (on a terminal it
// redraws one line with \r and a spinner instead). Each step has a weight
// that roughly matches its share of the wall time, so the bar moves evenly.

interface StepDef {
  /** Start of kind's step text, without the trailing emoji. */
  text: string
  label: string
  weight: number
  applies(spec: ClusterSpec): boolean
}

const always = () => true
const STEPS: StepDef[] = [
  { text: 'Ensuring node image', label: 'Ensuring node image', weight: 4, applies: always },
  { text: 'Preparing nodes', label: 'Preparing nodes', weight: 8, applies: always },
  {
    text: 'Configuring the external load balancer',
    label: 'Configuring the load balancer',
    weight: 1,
    applies: (s) => s.controlPlanes > 1,
  },
  { text: 'Writing configuration', label: 'Writing configuration', weight: 2, applies: always },
  { text: 'Starting control-plane', label: 'Starting control-plane', weight: 40, applies: always },
  { text: 'Installing CNI', label: 'Installing CNI', weight: 3, applies: always },
  { text: 'Installing StorageClass', label: 'Installing StorageClass', weight: 2, applies: always },
  {
    text: 'Joining more control-plane nodes',
    label: 'Joining more control-plane nodes',
    weight: 50,
    applies: (s) => s.controlPlanes > 1,
  },
  {
    text: 'Joining worker nodes',
    label: 'Joining worker nodes',
    weight: 15,
    applies: (s) => (s.workers ?? 0) > 0,
  },
  { text: 'Waiting ≤', label: 'Waiting for the control plane', weight: 5, applies: always },
]

/** Share of the bar kept for what ckalab does after kind returns (node discovery, tools). */
export const AFTER_KIND = 0.05

export type KindLine =
  | { kind: 'creating'; cluster: string }
  | { kind: 'step'; state: 'start' | 'done' | 'failed'; text: string }
  | { kind: 'other'; text: string }

// eslint-free ANSI stripper: CSI sequences and the cursor-hide/show kind uses
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g

/** Classifies one line of kind's output (already split on \n and \r). */
export function parseKindLine(raw: string): KindLine | undefined {
  const line = raw.replace(ANSI, '').trimEnd()
  if (line.trim() === '') return undefined
  const creating = /^Creating cluster "([^"]+)" \.\.\./.exec(line)
  if (creating) return { kind: 'creating', cluster: creating[1]! }
  const step = /^\s*([•✓✗]|[⠈⠐⠠⢀⡀⠄⠂⠁])\s+(.*?)\s*$/.exec(line)
  if (step) {
    const mark = step[1]!
    const text = step[2]!.replace(/\s*\.\.\.\s*$/, '')
    const state = mark === '✓' ? 'done' : mark === '✗' ? 'failed' : 'start'
    return { kind: 'step', state, text }
  }
  return { kind: 'other', text: line }
}

/**
 * Feeds kind's output in and calls `emit` with monotone Progress events.
 * The whole of kind's run maps onto 0 .. 1-AFTER_KIND.
 */
export class KindProgress {
  private readonly plan: StepDef[]
  private readonly total: number
  private fraction = 0
  private pending = ''
  private readonly tail: string[] = []

  constructor(
    spec: ClusterSpec,
    private readonly emit: (p: Progress) => void,
    private readonly tailLines = 30,
  ) {
    this.plan = STEPS.filter((s) => s.applies(spec))
    this.total = this.plan.reduce((n, s) => n + s.weight, 0)
  }

  /** Raw output chunk from kind (stdout or stderr); lines may span chunks. */
  push(chunk: string): void {
    const parts = (this.pending + chunk).split(/\r\n|\n|\r/)
    this.pending = parts.pop() ?? ''
    for (const p of parts) this.line(p)
  }

  end(): void {
    if (this.pending) this.line(this.pending)
    this.pending = ''
  }

  /** The last lines kind printed, for an error message. */
  lastLines(): string[] {
    return [...this.tail]
  }

  private line(raw: string): void {
    const parsed = parseKindLine(raw)
    if (!parsed) return
    const clean = raw.replace(ANSI, '').trimEnd()
    if (this.tail[this.tail.length - 1] !== clean) {
      this.tail.push(clean)
      if (this.tail.length > this.tailLines) this.tail.shift()
    }
    if (parsed.kind === 'creating') {
      this.report(0.01, `Creating cluster ${parsed.cluster}`)
      return
    }
    if (parsed.kind !== 'step') return
    const index = this.plan.findIndex((s) => parsed.text.startsWith(s.text))
    if (index < 0) return
    const before = this.plan.slice(0, index).reduce((n, s) => n + s.weight, 0)
    const upto = parsed.state === 'start' ? before : before + this.plan[index]!.weight
    const label = parsed.state === 'failed' ? `${this.plan[index]!.label} failed` : this.plan[index]!.label
    this.report((upto / this.total) * (1 - AFTER_KIND), label)
  }

  private report(fraction: number, step: string): void {
    this.fraction = Math.max(this.fraction, Math.min(1, fraction))
    this.emit({ fraction: this.fraction, step })
  }
}
