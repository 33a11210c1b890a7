import type { ProfileId } from '../seam'
import type { Lab } from './types'

// Which reference solution a learner sees; free of Node, so the browser
// edition's catalogue shares it with the server's.

/** The reference solution a learner on this Kubernetes version would type (default: the lab's own). */
export function referenceSolution(
  lab: Pick<Lab, 'solution' | 'solutions' | 'cluster'>,
  kubernetes?: ProfileId,
): string {
  return lab.solutions[kubernetes ?? lab.cluster.kubernetes] ?? lab.solution
}
