// The task text of a lab, fetched once per lab id.

import { useEffect, useState } from 'react'
import { api } from '../api'

export function useLabText(labId: string | undefined) {
  const [markdown, setMarkdown] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!labId) return
    let alive = true
    api.lab(labId).then(
      (l) => alive && setMarkdown(l.taskMarkdown),
      (err) => alive && setError(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      alive = false
    }
  }, [labId])
  return { markdown, error }
}
