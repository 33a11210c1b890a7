import { describe, expect, it } from 'vitest'
import type { Progress } from '../../seam'
import { AFTER_KIND, KindProgress, parseKindLine } from './progress'

// Output of `kind create cluster` when stderr is not a terminal.
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
})
