// A finished attempt's saved terminal screens, shown read-only.

import { useEffect, useState } from 'react'
import { api, type SavedScreen } from '../api'

export function useTranscript(token: string, enabled: boolean) {
  const [screens, setScreens] = useState<SavedScreen[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!enabled) return
    let alive = true
    api.transcript(token).then(
      (r) => alive && setScreens(r.screens),
      (err) => alive && setError(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      alive = false
    }
  }, [token, enabled])
  return { screens, error }
}
