// Props for a tablist whose tabs follow the WAI-ARIA tabs pattern: one tab in
// the tab order (roving tabindex), arrows/Home/End move focus and selection,
// each tab names the panel it controls.

import { type KeyboardEvent, useRef } from 'react'
import { tabKeyTarget } from '../tabs'

export function useTabs(prefix: string, ids: string[], selected: string, select: (id: string) => void) {
  const refs = useRef(new Map<string, HTMLButtonElement | null>())
  const tabId = (id: string) => `${prefix}-tab-${id}`
  const panelId = (id: string) => `${prefix}-panel-${id}`
  return {
    tabProps(id: string) {
      const active = id === selected
      return {
        id: tabId(id),
        role: 'tab' as const,
        type: 'button' as const,
        'aria-selected': active,
        'aria-controls': panelId(id),
        tabIndex: active ? 0 : -1,
        ref: (el: HTMLButtonElement | null) => {
          refs.current.set(id, el)
        },
        onClick: () => select(id),
        onKeyDown: (e: KeyboardEvent) => {
          const next = tabKeyTarget(e.key, ids.indexOf(id), ids.length)
          if (next === null) return
          e.preventDefault()
          const target = ids[next]
          select(target)
          refs.current.get(target)?.focus()
        },
      }
    },
    panelProps(id: string) {
      return { id: panelId(id), role: 'tabpanel' as const, 'aria-labelledby': tabId(id) }
    },
  }
}
