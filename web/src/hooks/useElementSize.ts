// An element's size, kept current with a ResizeObserver. Returns a callback
// ref, so an element that appears later (after loading) is measured too.

import { useCallback, useEffect, useRef, useState } from 'react'

export function useElementSize<T extends HTMLElement>() {
  const [el, setEl] = useState<T | null>(null)
  const current = useRef<T | null>(null)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const ref = useCallback((node: T | null) => {
    current.current = node
    setEl(node)
  }, [])
  useEffect(() => {
    if (!el) return
    const measure = () => {
      const r = el.getBoundingClientRect()
      setSize((s) =>
        s.width === r.width && s.height === r.height ? s : { width: r.width, height: r.height },
      )
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [el])
  return { ref, element: current, size }
}
