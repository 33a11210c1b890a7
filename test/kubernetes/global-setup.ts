import type { TestProject } from 'vitest/node'
import { type ApiServer, removeApiServer, startApiServer } from './cluster'

// One real API server for the whole kubernetes project (bringing one up takes about a minute). A missing
// prerequisite (Docker, the fixture, the images) fails the suite with what to do; it is never skipped.

declare module 'vitest' {
  export interface ProvidedContext {
    k8s: ApiServer
  }
}

/**
 * A loaded machine can outlast the fixture's wait for the control plane's pods (kubeadm init succeeds, the
 * etcd mirror pod is not listed in time): that bring-up is tried once more, never more. A missing
 * prerequisite fails at once.
 */
function startOnceMoreIfSlow(): ApiServer {
  try {
    return startApiServer()
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    if (!msg.includes('control plane did not come up')) throw e
    console.log(
      `kubernetes suite: the control plane did not come up in time; starting it once more (${msg.split('\n').pop()})`,
    )
    return startApiServer()
  }
}

export default function setup(project: TestProject) {
  const api = startOnceMoreIfSlow()
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
