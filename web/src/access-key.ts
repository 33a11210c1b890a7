// A server shared beyond this machine prints a link ending in `?key=…`. The
// page keeps that key in a same-site cookie (sent with every request and the
// terminal's WebSocket) and takes it out of the address bar, so it stays out
// of the history, bookmarks and screenshots.

export const KEY_COOKIE = 'ckalab_key'

/** The key in a URL and the same URL without it; no key → undefined. */
export function takeKey(href: string): { key: string; clean: string } | undefined {
  const url = new URL(href)
  const key = url.searchParams.get('key')
  if (!key) return undefined
  url.searchParams.delete('key')
  return { key, clean: url.pathname + url.search + url.hash }
}

export function keyCookie(key: string, secure: boolean): string {
  // A year: the key is good until the server restarts with a new one.
  return `${KEY_COOKIE}=${encodeURIComponent(key)}; Path=/; SameSite=Strict; Max-Age=31536000${secure ? '; Secure' : ''}`
}

/** Runs once at start, before anything talks to the server. */
export function adoptKeyFromAddress(): void {
  const taken = takeKey(window.location.href)
  if (!taken) return
  // biome-ignore lint/suspicious/noDocumentCookie: synchronous on purpose (before the first request); keyCookie escapes the value
  document.cookie = keyCookie(taken.key, window.location.protocol === 'https:')
  window.history.replaceState(window.history.state, '', taken.clean)
}
