// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AttemptView } from '../api'
import { Timer } from './Timer'

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0)

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(T0)
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const attempt = (a: Partial<AttemptView>) =>
  ({
    mode: 'practice',
    state: 'ready',
    readyAt: T0,
    deadline: null,
    finishedAt: null,
    limitMs: null,
    ...a,
  }) as AttemptView

describe('Timer', () => {
  it('counts the time spent in practice, every half second', () => {
    const { container } = render(<Timer attempt={attempt({ readyAt: T0 - 65_000 })} skewMs={0} />)
    expect(container.textContent).toBe('Time spent 1:05')
    act(() => vi.advanceTimersByTime(1000))
    expect(container.textContent).toBe('Time spent 1:06')
  })

  it('counts an exam down and submits once when it runs out', () => {
    const onExpired = vi.fn()
    const { container } = render(
      <Timer
        attempt={attempt({ mode: 'exam', deadline: T0 + 2000, limitMs: 600_000 })}
        skewMs={0}
        onExpired={onExpired}
      />,
    )
    expect(container.querySelector('.timer.countdown.urgent')).not.toBeNull()
    act(() => vi.advanceTimersByTime(3000))
    expect(container.textContent).toBe('Time left 0:00')
    act(() => vi.advanceTimersByTime(3000))
    expect(onExpired).toHaveBeenCalledOnce()
  })

  it('follows the server clock, not the local one', () => {
    const { container } = render(<Timer attempt={attempt({ readyAt: T0 })} skewMs={90_000} />)
    expect(container.textContent).toBe('Time spent 1:30')
  })

  it('stops its interval when it goes away (a tab left open does not pile them up)', () => {
    const { unmount } = render(<Timer attempt={attempt({})} skewMs={0} />)
    expect(vi.getTimerCount()).toBe(1)
    unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
