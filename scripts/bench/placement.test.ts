import { describe, expect, it } from 'vitest'
import { CLASS_OF_100, simulateClass } from './placement'

describe('class placement simulation', () => {
  it('with room for all, nobody waits and boot sharing sets the ready time', () => {
    const f = simulateClass(CLASS_OF_100.kindFits!)
    expect(f.placedAtOnce).toBe(100)
    expect(f.gaveUpAfterWait).toBe(0)
    expect(f.peakEnvironments).toBe(100)
    expect(f.readyP50Seconds).toBeGreaterThanOrEqual(75)
  })
  it('with half the room: 48 placed, the rest wait; the 10-minute wait ends before 40-minute sessions free room', () => {
    const f = simulateClass(CLASS_OF_100.kindHalfRoom!)
    expect(f.placedAtOnce).toBe(48)
    expect(f.waitedForCapacity).toBe(52)
    expect(f.gaveUpAfterWait).toBe(52)
    expect(f.longestWaitSeconds).toBe(600)
  })
  it('short sessions and a longer wait: the waiters are placed as room frees up (all but a third wave of 4)', () => {
    const f = simulateClass(CLASS_OF_100.kindHalfRoomShortSessions!)
    expect(f.placedAtOnce).toBe(48)
    expect(f.waitedForCapacity).toBe(52)
    expect(f.gaveUpAfterWait).toBe(4)
    expect(f.lastPlacedAtSeconds).toBeGreaterThan(15 * 60)
  })
  it('is deterministic for a seed', () => {
    expect(simulateClass(CLASS_OF_100.kindHalfRoomShortSessions!)).toEqual(
      simulateClass(CLASS_OF_100.kindHalfRoomShortSessions!),
    )
  })
})
