import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TerminalSize } from '../seam'
import { FrameGate } from './frame-gate'

afterEach(() => {
  vi.useRealTimers()
})

function sink(backlog = () => 0, accept = true) {
  const got = { input: [] as string[], sizes: [] as TerminalSize[] }
  return {
    got,
    sink: {
      input: (d: Uint8Array) => {
        if (accept) got.input.push(new TextDecoder().decode(d))
        return accept
      },
      resize: (s: TerminalSize) => got.sizes.push(s),
      backlog,
    },
  }
}

describe('FrameGate', () => {
  it('coalesces a resize flood to the latest size, at most one per interval', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      { resizeIntervalMs: 100 },
      () => Date.now(),
    )
    for (let i = 1; i <= 1000; i++) gate.resize({ cols: 20 + (i % 200), rows: 10 })
    vi.advanceTimersByTime(100)
    expect(got.sizes.length).toBe(2)
    expect(got.sizes.at(-1)).toEqual({ cols: 20 + (1000 % 200), rows: 10 })
    expect(gate.counts).toMatchObject({ resizeFrames: 1000, resizes: 2 })
  })

  it('joins input frames of one burst into one write, in order', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      {},
      () => Date.now(),
    )
    for (const ch of 'echo hello\r') gate.input(new TextEncoder().encode(ch))
    vi.advanceTimersByTime(10)
    expect(got.input).toEqual(['echo hello\r'])
  })

  it('refuses input beyond the cap of what the shell has not taken, and says so; Ctrl-C always passes', () => {
    vi.useFakeTimers()
    let backlog = 0
    const { got, sink: s } = sink(() => backlog)
    const refused: number[] = []
    const gate = new FrameGate(
      s,
      (bytes) => refused.push(bytes),
      { maxQueuedInput: 1000 },
      () => Date.now(),
    )
    gate.input(new Uint8Array(600).fill(97))
    vi.advanceTimersByTime(10)
    backlog = 600 // the shell has not read it
    gate.input(new Uint8Array(600).fill(98))
    gate.input(Uint8Array.of(3))
    vi.advanceTimersByTime(10)
    expect(refused).toEqual([600])
    expect(got.input.map((t) => t.length)).toEqual([600, 1])
    expect(got.input[1]).toBe('\x03')
  })

  it('hands on what the client sent before it went away', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      { inputIntervalMs: 50 },
      () => Date.now(),
    )
    gate.input(new TextEncoder().encode('a'))
    vi.advanceTimersByTime(1)
    gate.input(new TextEncoder().encode('b'))
    gate.close()
    gate.input(new TextEncoder().encode('c'))
    expect(got.input).toEqual(['a', 'b'])
  })
})
