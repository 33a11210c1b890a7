// Loads the catalogue and starts attempts (then goes to the attempt page).

import { useCallback, useEffect, useState } from 'react'
import { api, type LabList } from '../api'
import { navigate } from '../navigation'
import { addRecent, loadRecent, saveRecent } from '../recent'

export function useLabs() {
  const [list, setList] = useState<LabList | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    api.labs().then(
      (l) => alive && setList(l),
      (err) => alive && setError(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      alive = false
    }
  }, [])
  return { list, error }
}

export function useStartAttempt() {
  const [starting, setStarting] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const start = useCallback(async (lab: string, title: string, mode: 'practice' | 'exam') => {
    setStarting(`${lab}:${mode}`)
    setError(null)
    try {
      const { token } = await api.start(lab, mode)
      saveRecent(addRecent(loadRecent(), { token, lab, title, mode, startedAt: Date.now() }))
      navigate(`/attempt/${token}`)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setStarting(null)
    }
  }, [])
  return { start, starting, error }
}
