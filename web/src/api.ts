// The page's one entry to ckalab: the backend chosen at build time and the
// types the pages share. See backend/types.ts.

import { backend } from './backend/selected'

export * from './backend/types'

export const api = backend
