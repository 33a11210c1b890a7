// Attempts this browser started, so the catalogue can offer "continue". The
// token is the attempt's key; it stays in this browser's storage only.

export interface RecentAttempt {
  token: string
  lab: string
  title: string
  mode: 'practice' | 'exam'
  startedAt: number
}

const KEY = 'ckalab.recent'
const MAX = 8

export function addRecent(list: RecentAttempt[], entry: RecentAttempt): RecentAttempt[] {
  return [entry, ...list.filter((r) => r.token !== entry.token)].slice(0, MAX)
}

export function removeRecent(list: RecentAttempt[], token: string): RecentAttempt[] {
  return list.filter((r) => r.token !== token)
}

export function parseRecent(text: string | null): RecentAttempt[] {
  if (!text) return []
  try {
    const value = JSON.parse(text)
    if (!Array.isArray(value)) return []
    return value
      .filter((r) => r && typeof r.token === 'string' && typeof r.lab === 'string')
      .slice(0, MAX) as RecentAttempt[]
  } catch {
    return []
  }
}

export function loadRecent(): RecentAttempt[] {
  try {
    return parseRecent(localStorage.getItem(KEY))
  } catch {
    return []
  }
}

export function saveRecent(list: RecentAttempt[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list))
  } catch {
    /* storage full or disabled: the list is a convenience */
  }
}
