import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, parseSettings, terminalTheme } from './settings'

describe('settings', () => {
  it('reads stored settings and repairs nonsense', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS)
    expect(parseSettings('{"fontSize":18,"theme":"dark"}')).toEqual({ fontSize: 18, theme: 'dark' })
    expect(parseSettings('{"fontSize":400,"theme":"neon"}')).toEqual(DEFAULT_SETTINGS)
    expect(parseSettings('not json')).toEqual(DEFAULT_SETTINGS)
  })
  it('gives the terminal readable colours in both themes', () => {
    expect(terminalTheme('dark').background).not.toBe(terminalTheme('light').background)
  })
})
