// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SettingsMenu } from './SettingsMenu'

afterEach(cleanup)

describe('SettingsMenu', () => {
  it('changes the terminal font size and switches the theme', () => {
    const onChange = vi.fn()
    render(<SettingsMenu settings={{ fontSize: 14, theme: 'light' }} onChange={onChange} />)
    fireEvent.change(screen.getByRole('combobox', { name: 'Terminal font size' }), {
      target: { value: '18' },
    })
    expect(onChange).toHaveBeenLastCalledWith({ fontSize: 18 })
    const toggle = screen.getByRole('button', { name: 'Dark theme' })
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(toggle)
    expect(onChange).toHaveBeenLastCalledWith({ theme: 'dark' })
  })

  it('offers the light theme when dark is on', () => {
    const onChange = vi.fn()
    render(<SettingsMenu settings={{ fontSize: 12, theme: 'dark' }} onChange={onChange} />)
    fireEvent.click(screen.getByRole('button', { name: 'Light theme' }))
    expect(onChange).toHaveBeenLastCalledWith({ theme: 'light' })
  })
})
