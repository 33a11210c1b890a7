// The static build resolves ../selected.ts to this file: the page's backend is ckalab in the page.
export { browserBackend as backend } from './index'
