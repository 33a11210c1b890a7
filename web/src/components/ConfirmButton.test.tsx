// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfirmButton } from './ConfirmButton'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('ConfirmButton', () => {
  it('acts only on the second click, and asks in its own words', () => {
    const onConfirm = vi.fn()
    render(
      <ConfirmButton onConfirm={onConfirm} confirmText="Reset? The clock keeps running">
        Reset
      </ConfirmButton>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }))
    expect(onConfirm).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('button', { name: 'Reset? The clock keeps running' }))
    expect(onConfirm).toHaveBeenCalledOnce()
    expect(screen.getByRole('button').textContent).toBe('Reset')
  })

  it('forgets the first click after a few seconds', () => {
    vi.useFakeTimers()
    const onConfirm = vi.fn()
    render(
      <ConfirmButton onConfirm={onConfirm} confirmText="Stop the lab?">
        Stop
      </ConfirmButton>,
    )
    fireEvent.click(screen.getByRole('button'))
    expect(screen.getByRole('button').textContent).toBe('Stop the lab?')
    act(() => vi.advanceTimersByTime(4100))
    expect(screen.getByRole('button').textContent).toBe('Stop')
    fireEvent.click(screen.getByRole('button'))
    expect(onConfirm).not.toHaveBeenCalled()
  })

  it('does nothing while disabled', () => {
    const onConfirm = vi.fn()
    render(
      <ConfirmButton onConfirm={onConfirm} confirmText="Sure?" disabled>
        Submit
      </ConfirmButton>,
    )
    fireEvent.click(screen.getByRole('button'))
    fireEvent.click(screen.getByRole('button'))
    expect(onConfirm).not.toHaveBeenCalled()
  })
})
