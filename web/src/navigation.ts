// Client-side navigation over the History API, as a tiny hook. The static
// build addresses pages after '#' ("#/attempt/…"): a plain static file server
// only has index.html, so a reload of any page must land on it.

import { useEffect, useState } from 'react'
import { api } from './api'
import { parseRoute, type Route } from './router'

const byHash = api.routing === 'hash'

/** The page's path ("/labs/x") from the address bar, whichever routing the build uses. */
export function currentPath(loc: { pathname: string; hash: string } = window.location): string {
  if (!byHash) return loc.pathname
  const h = loc.hash.replace(/^#/, '')
  return h.startsWith('/') ? h : '/'
}

/** The address for a page's path, for links' href. */
export function hrefFor(path: string): string {
  return byHash ? `#${path}` : path
}

const listeners = new Set<() => void>()

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', hrefFor(path))
  else history.pushState(null, '', hrefFor(path))
  for (const l of listeners) l()
  window.scrollTo(0, 0)
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(currentPath()))
  useEffect(() => {
    const update = () => setRoute(parseRoute(currentPath()))
    listeners.add(update)
    window.addEventListener('popstate', update)
    window.addEventListener('hashchange', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
      window.removeEventListener('hashchange', update)
    }
  }, [])
  return route
}
