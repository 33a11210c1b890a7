// The "Continue" list: attempts this browser started, each looked up on the
// server. Ones the server no longer knows are pruned from storage; the rest
// come with their current state, score and time.

import { useEffect, useState } from 'react'
import { ApiError, type AttemptView, api } from '../api'
import { loadRecent, type RecentAttempt, removeRecent, saveRecent } from '../recent'

export interface RecentEntry extends RecentAttempt {
  view: AttemptView | null
}

export function useRecentAttempts(): RecentEntry[] {
  const [entries, setEntries] = useState<RecentEntry[]>(() => loadRecent().map((r) => ({ ...r, view: null })))
  useEffect(() => {
    let alive = true
    const recent = loadRecent()
    Promise.all(
      recent.map(async (r) => {
        try {
          return { ...r, view: await api.attempt(r.token), gone: false }
        } catch (err) {
          // Gone for good (404) is pruned; a server that is down right now is not.
          return { ...r, view: null, gone: err instanceof ApiError && err.status === 404 }
        }
      }),
    ).then((list) => {
      if (!alive) return
      let kept = loadRecent()
      for (const e of list) if (e.gone) kept = removeRecent(kept, e.token)
      saveRecent(kept)
      setEntries(list.filter((e) => !e.gone).map(({ gone: _gone, ...e }) => e))
    })
    return () => {
      alive = false
    }
  }, [])
  return entries
}
