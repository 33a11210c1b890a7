// Standing messages from the backend (the browser edition's storage and tab
// troubles); the server edition has none.

import { useEffect, useState } from 'react'
import { api } from '../api'

export function useNotices(): string[] {
  const [notices, setNotices] = useState<string[]>(() => api.notices?.() ?? [])
  useEffect(() => {
    setNotices(api.notices?.() ?? [])
    return api.onNotices?.(setNotices)
  }, [])
  return notices
}
