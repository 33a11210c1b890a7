// The backend this build talks to. The server build keeps this file; the
// static build's Vite config resolves it to ./browser/index.ts instead, so
// neither build carries the other's code.
export { serverBackend as backend } from './server'
