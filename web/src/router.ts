// The app's few pages, addressed by path so a reload (or a bookmark) lands
// on the same page. The attempt token lives in the path: it is the key.

export type Route =
  | { page: 'catalogue' }
  | { page: 'lab'; lab: string }
  | { page: 'attempt'; token: string }
  | { page: 'missing'; path: string }

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean)
  if (parts.length === 0) return { page: 'catalogue' }
  if (parts[0] === 'labs' && parts.length === 2) return { page: 'lab', lab: safeDecode(parts[1]) }
  if (parts[0] === 'attempt' && parts.length === 2) return { page: 'attempt', token: safeDecode(parts[1]) }
  return { page: 'missing', path: pathname }
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'catalogue':
      return '/'
    case 'lab':
      return `/labs/${encodeURIComponent(route.lab)}`
    case 'attempt':
      return `/attempt/${encodeURIComponent(route.token)}`
    case 'missing':
      return route.path
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
