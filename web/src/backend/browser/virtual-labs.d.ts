// The labs of labs/, loaded at build time by the static build's Vite plugin
// (web/static-labs.ts): definitions as data, checks modules as code.
declare module 'virtual:ckalab-labs' {
  import type { Lab, LintProblem } from '../../../../simulator/src/grader/types'
  export const labs: Lab[]
  export const problems: LintProblem[]
}
