import type { TestProject } from 'vitest/node'
import { type ApiServer, removeApiServer, startApiServer } from './cluster'

// One real API server for the whole kubernetes project (bringing one up takes about a minute). A missing
// prerequisite (Docker, the fixture, the images) fails the suite with what to do; it is never skipped.

declare module 'vitest' {
  export interface ProvidedContext {
    k8s: ApiServer
  }
}

export default function setup(project: TestProject) {
  const api = startApiServer()
  console.log(
    `kubernetes suite: API server ${api.server} (${api.node}) up in ${api.startSeconds} s; lab image ${api.labImage}`,
  )
  project.provide('k8s', api)
  return () => {
    if (process.env.CKALAB_TEST_K8S_KEEP === '1' || api.reused)
      console.log(`kept ${api.node}; kubeconfig ${api.kubeconfig}`)
    else removeApiServer(api.node, api.kubeconfig)
  }
}
