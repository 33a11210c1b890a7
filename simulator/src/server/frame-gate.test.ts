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

  it('hands a lone keystroke on at once, without waiting for a timer', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      {},
      () => Date.now(),
    )
    // Typing: a key, its echo, Backspace right after, the next key.
    for (const ch of ['1', '\x7f', '2', '\x7f', '3']) {
      gate.input(new TextEncoder().encode(ch))
      expect(got.input.at(-1)).toBe(ch)
      vi.advanceTimersByTime(1)
    }
    expect(gate.counts.inputWrites).toBe(5)
  })

  it('joins the rest of a burst (frames of one turn) into one write, in order', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      {},
      () => Date.now(),
    )
    for (const ch of 'echo hello\r') gate.input(new TextEncoder().encode(ch))
    expect(got.input).toEqual(['e'])
    vi.advanceTimersByTime(10)
    expect(got.input).toEqual(['e', 'cho hello\r'])
  })

  it('once its burst is spent, writes at most one join per interval however the frames arrive', () => {
    vi.useFakeTimers()
    const { got, sink: s } = sink()
    const gate = new FrameGate(
      s,
      () => {},
      { inputBurst: 4, inputIntervalMs: 10 },
      () => Date.now(),
    )
    // One frame per millisecond (each in its own turn) for 200 ms.
    for (let i = 0; i < 200; i++) {
      gate.input(Uint8Array.of(97 + (i % 26)))
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(50)
    expect(got.input.join('').length).toBe(200)
    // The burst, then about one write per 10 ms.
    expect(gate.counts.inputWrites).toBeGreaterThanOrEqual(20)
    expect(gate.counts.inputWrites).toBeLessThanOrEqual(4 + 200 / 10 + 2)
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
