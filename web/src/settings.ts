// The learner's display settings (terminal font size, light or dark theme),
// kept in this browser. A tiny store with listeners so open terminals follow
// a change at once.

export type Theme = 'light' | 'dark'

export interface Settings {
  fontSize: number
  theme: Theme
}

export const DEFAULT_SETTINGS: Settings = { fontSize: 14, theme: 'light' }
export const FONT_SIZES = [11, 12, 13, 14, 15, 16, 18, 20, 22] as const

const KEY = 'ckalab.settings'

export function parseSettings(text: string | null): Settings {
  if (!text) return { ...DEFAULT_SETTINGS }
  try {
    const v = JSON.parse(text) as Partial<Settings>
    const fontSize =
      typeof v.fontSize === 'number' && v.fontSize >= 8 && v.fontSize <= 32
        ? Math.round(v.fontSize)
        : DEFAULT_SETTINGS.fontSize
    const theme = v.theme === 'dark' || v.theme === 'light' ? v.theme : DEFAULT_SETTINGS.theme
    return { fontSize, theme }
  } catch {
    return { ...DEFAULT_SETTINGS }
  }
}

let current: Settings | undefined
const listeners = new Set<(s: Settings) => void>()

export function getSettings(): Settings {
  if (!current) {
    try {
      current = parseSettings(localStorage.getItem(KEY))
    } catch {
      current = { ...DEFAULT_SETTINGS }
    }
  }
  return current
}

export function updateSettings(patch: Partial<Settings>): Settings {
  current = parseSettings(JSON.stringify({ ...getSettings(), ...patch }))
  try {
    localStorage.setItem(KEY, JSON.stringify(current))
  } catch {
    /* not kept across reloads, still applied now */
  }
  for (const l of listeners) l(current)
  return current
}

export function onSettings(listener: (s: Settings) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** xterm colours per theme. */
export function terminalTheme(theme: Theme) {
  return theme === 'dark'
    ? { background: '#0f1419', foreground: '#e6e1cf', cursor: '#f29718', selectionBackground: '#33415e' }
    : { background: '#fbfbfa', foreground: '#1c2230', cursor: '#c2410c', selectionBackground: '#c7d2fe' }
}
