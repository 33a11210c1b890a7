// The app's few pages, addressed by path so a reload (or a bookmark) lands
// on the same page. The attempt token lives in the path: it is the key.

export type Route =
  | { page: 'catalogue' }
  | { page: 'lab'; lab: string }
  | { page: 'attempt'; token: string }
  | { page: 'instructor' }
  | { page: 'class'; id: string }
  | { page: 'join'; code: string }
  | { page: 'seat'; token: string }
  | { page: 'missing'; path: string }

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean)
  if (parts.length === 0) return { page: 'catalogue' }
  if (parts[0] === 'labs' && parts.length === 2) return { page: 'lab', lab: safeDecode(parts[1]) }
  if (parts[0] === 'attempt' && parts.length === 2) return { page: 'attempt', token: safeDecode(parts[1]) }
  if (parts[0] === 'instructor' && parts.length === 1) return { page: 'instructor' }
  if (parts[0] === 'instructor' && parts[1] === 'classes' && parts.length === 3)
    return { page: 'class', id: safeDecode(parts[2]) }
  if (parts[0] === 'join' && parts.length <= 2) return { page: 'join', code: safeDecode(parts[1] ?? '') }
  if (parts[0] === 'seat' && parts.length === 2) return { page: 'seat', token: safeDecode(parts[1]) }
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
    case 'instructor':
      return '/instructor'
    case 'class':
      return `/instructor/classes/${encodeURIComponent(route.id)}`
    case 'join':
      return route.code ? `/join/${encodeURIComponent(route.code)}` : '/join'
    case 'seat':
      return `/seat/${encodeURIComponent(route.token)}`
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
