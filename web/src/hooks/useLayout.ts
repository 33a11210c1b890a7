// The attempt page's layout state: wide (side by side) or narrow (stacked),
// and the task pane's share of the space, remembered per orientation.

import { useCallback, useEffect, useState } from 'react'
import { loadSplit, type Orientation, orientationFor, type SplitPrefs, saveSplit } from '../layout'

export function useOrientation(): Orientation {
  const [o, setO] = useState<Orientation>(() => orientationFor(window.innerWidth))
  useEffect(() => {
    const update = () => setO(orientationFor(window.innerWidth))
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
  }, [])
  return o
}

export function useSplit(o: Orientation): [number, (fraction: number) => void] {
  const [prefs, setPrefs] = useState<SplitPrefs>(loadSplit)
  const set = useCallback(
    (fraction: number) =>
      setPrefs((p) => {
        const next = { ...p, [o]: fraction }
        saveSplit(next)
        return next
      }),
    [o],
  )
  return [prefs[o], set]
}
