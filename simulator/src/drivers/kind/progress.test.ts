import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ClusterSpec, Progress } from '../../seam'
import { tailLines } from './kind-cli'
import { AFTER_KIND, KindProgress, parseKindLine } from './progress'

/** Output of the real kind 0.27.0 captured by the real-cluster suite (see testdata/README.md). */
function realOutput(name: string): string {
  return readFileSync(new URL(`testdata/real-kind-0.27.0-${name}.txt`, import.meta.url), 'utf8')
}

function feed(spec: ClusterSpec, text: string, chunk = 5): { events: Progress[]; parser: KindProgress } {
  const events: Progress[] = []
  const parser = new KindProgress(spec, (e) => events.push(e))
  for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk))
  parser.end()
  return { events, parser }
}

/** Each step label once, in the order first reported. */
function labels(events: Progress[]): string[] {
  return [...new Set(events.map((e) => e.step))]
}

const ONE: ClusterSpec = { controlPlanes: 1, kubernetes: '1.20' }
const THREE: ClusterSpec = { controlPlanes: 3, kubernetes: '1.20' }

// Output of `kind create cluster` when stderr is not a terminal (shape of kind releases before 0.27).
const SINGLE = `Creating cluster "ckalab-x" ...
 • Ensuring node image (kindest/node:v1.31.0) 🖼  ...
 ✓ Ensuring node image (kindest/node:v1.31.0) 🖼
 • Preparing nodes 📦   ...
 ✓ Preparing nodes 📦 
 • Writing configuration 📜  ...
 ✓ Writing configuration 📜
 • Starting control-plane 🕹️  ...
 ✓ Starting control-plane 🕹️
 • Installing CNI 🔌  ...
 ✓ Installing CNI 🔌
 • Installing StorageClass 💾  ...
 ✓ Installing StorageClass 💾
 • Waiting ≤ 5m0s for control-plane = Ready ⏳  ...
 ✓ Waiting ≤ 5m0s for control-plane = Ready ⏳
 • Ready after 15s 💚
Set kubectl context to "kind-ckalab-x"
`

describe('kind output → progress', () => {
  it('classifies lines', () => {
    expect(parseKindLine('Creating cluster "ckalab-x" ...')).toEqual({
      kind: 'creating',
      cluster: 'ckalab-x',
    })
    expect(parseKindLine(' • Preparing nodes 📦 📦 📦   ...')).toEqual({
      kind: 'step',
      state: 'start',
      text: 'Preparing nodes 📦 📦 📦',
    })
    expect(parseKindLine(' ✗ Starting control-plane 🕹️')).toMatchObject({ kind: 'step', state: 'failed' })
    expect(parseKindLine('\x1b[32m ✓ Writing configuration 📜\x1b[0m')).toMatchObject({
      state: 'done',
      text: 'Writing configuration 📜',
    })
    expect(parseKindLine('   ')).toBeUndefined()
  })

  it('moves monotonically through a single-node creation, in chunks split mid-line', () => {
    const events: Progress[] = []
    const p = new KindProgress({ controlPlanes: 1, kubernetes: '1.31' }, (e) => events.push(e))
    for (let i = 0; i < SINGLE.length; i += 7) p.push(SINGLE.slice(i, i + 7))
    p.end()
    const fractions = events.map((e) => e.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(events[0]!.step).toBe('Creating cluster ckalab-x')
    expect(events.map((e) => e.step)).toContain('Starting control-plane')
    expect(fractions.at(-1)).toBeCloseTo(1 - AFTER_KIND, 5)
    expect(p.lastLines().at(-1)).toBe('Set kubectl context to "kind-ckalab-x"')
  })

  it('counts the join steps for three control planes, and terminal redraws with \\r', () => {
    const events: Progress[] = []
    const p = new KindProgress({ controlPlanes: 3, workers: 1, kubernetes: '1.34' }, (e) => events.push(e))
    p.push(' ⠈⠁ Starting control-plane 🕹️ \r ✓ Starting control-plane 🕹️\n')
    const afterStart = events.at(-1)!.fraction
    p.push(' • Joining more control-plane nodes 🎮  ...\n ✓ Joining more control-plane nodes 🎮\n')
    const afterJoin = events.at(-1)!.fraction
    expect(afterStart).toBeGreaterThan(0.1)
    expect(afterStart).toBeLessThan(0.5) // joins weigh more than the first start
    expect(afterJoin).toBeGreaterThan(afterStart + 0.3)
    p.push(' ✗ Joining worker nodes 🚜\n')
    expect(events.at(-1)!.step).toBe('Joining worker nodes failed')
  })

  it('reads real kind 0.27 output for one control plane: every step in order, ending where kind ends', () => {
    const text = realOutput('create-one-control-plane')
    const { events, parser } = feed(ONE, text)
    expect(labels(events)).toEqual([
      expect.stringMatching(/^Creating cluster ckalab-t[0-9a-f]{8}$/),
      'Ensuring node image',
      'Preparing nodes',
      'Writing configuration',
      'Starting control-plane',
      'Installing CNI',
      'Installing StorageClass',
      'Waiting for the control plane',
    ])
    const fractions = events.map((e) => e.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(fractions.at(-1)).toBeCloseTo(1 - AFTER_KIND, 5)
    expect(parser.lastLines()).toContain(' • Ready after 8s 💚')
  })

  it('reads real kind 0.27 output for three control planes: the load balancer and the joins count', () => {
    const { events } = feed(THREE, realOutput('create-three-control-planes'))
    const seen = labels(events)
    expect(seen).toEqual([
      expect.stringMatching(/^Creating cluster ckalab-ha[0-9a-f]{8}$/),
      'Ensuring node image',
      'Preparing nodes',
      'Configuring the load balancer',
      'Writing configuration',
      'Starting control-plane',
      'Installing CNI',
      'Installing StorageClass',
      'Joining more control-plane nodes',
      'Waiting for the control plane',
    ])
    const at = (label: string) => events.filter((e) => e.step === label).at(-1)!.fraction
    // joining two more control planes is the longest step: most of the bar moves there
    expect(at('Joining more control-plane nodes') - at('Installing StorageClass')).toBeGreaterThan(0.3)
    expect(events.at(-1)!.fraction).toBeCloseTo(1 - AFTER_KIND, 5)
  })

  it("real kind 0.27 failures: the failed step is named and kind's ERROR line is among the last lines", () => {
    const missing = realOutput('create-missing-image')
    const a = feed(ONE, missing)
    expect(a.events.at(-1)!.step).toBe('Ensuring node image failed')
    expect(tailLines(missing)).toContain(
      'ERROR: failed to create cluster: failed to pull image "ckalab-test/no-such-image:v0": command "docker pull ckalab-test/no-such-image:v0" failed with error: exit status 1',
    )

    const kubeadm = realOutput('create-kubeadm-init-fails')
    const b = feed(ONE, kubeadm)
    expect(b.events.at(-1)!.step).toBe('Starting control-plane failed')
    const tail = tailLines(kubeadm)
    expect(
      tail.some((l) => l.startsWith('ERROR: failed to create cluster: failed to init node with kubeadm')),
    ).toBe(true)
    expect(tail.at(-1)).toBe('Command Output: ckalab test: this node cannot run kubeadm init')

    const cut = feed(ONE, realOutput('create-interrupted'))
    expect(cut.events.at(-1)!.step).toBe('Starting control-plane')
  })
})
