// The display settings as React state; applies the theme to the page.

import { useEffect, useState } from 'react'
import { getSettings, onSettings, type Settings, updateSettings } from '../settings'

export function applyTheme(s: Settings): void {
  document.documentElement.dataset.theme = s.theme
}

export function useSettings(): [Settings, (patch: Partial<Settings>) => void] {
  const [settings, setSettings] = useState(getSettings)
  useEffect(() => onSettings(setSettings), [])
  useEffect(() => applyTheme(settings), [settings])
  return [settings, (patch) => void updateSettings(patch)]
}
