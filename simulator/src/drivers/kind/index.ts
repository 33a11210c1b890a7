// ckalab's `kind` driver: real kind clusters behind the Driver → Environment → Node seam.
export {
  KindCapacityError,
  KindCreateError,
  KindDriver,
  type KindDriverOptions,
  KindEnvironment,
} from './driver'
export { KindNode, NodeUnavailableError } from './node'
export { prepareNodeImage } from './prepared-image'
