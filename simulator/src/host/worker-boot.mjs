// Worker bootstrap when running from TypeScript sources: registers tsx in this
// thread (a worker does not inherit the main thread's in-process loader), then
// loads the host adapter. A compiled build starts worker-entry.js directly.
import { register } from 'tsx/esm/api'

register()
await import('./worker-entry.ts')
