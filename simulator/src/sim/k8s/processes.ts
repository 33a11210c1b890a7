import type { EtcdProcess } from '../etcd/server'
import { startEtcd } from '../etcd/server'
import { apiServerFactory } from './apiserver'
import { controllerManagerFactory, schedulerFactory } from './controllers'
import type { ContainerProcess, ProcessFactory } from './runtime'
import { k8sWorld } from './world'

// Which program runs for which container binary. etcd is the etcd module's
// member, started with the container's filesystem view so --data-dir
// resolves through the pod's volumeMounts.

export interface EtcdContainerProcess extends ContainerProcess {
  readonly etcd: EtcdProcess
}

/** The programs of the control plane's containers, by the basename of their argv[0]. */
export function controlPlaneProcesses(): Record<string, ProcessFactory> {
  const etcd: ProcessFactory = (ctx) => {
    const p = startEtcd({ node: ctx.node, args: ctx.argv.slice(1), fs: ctx.fs })
    void k8sWorld(ctx.node.cluster).track(p.ready)
    p.onExit(() => ctx.exit(p.exitCode ?? 0))
    const proc: EtcdContainerProcess = {
      etcd: p,
      stop: () => {
        void p.stop()
      },
      logs: () => p.logs(),
    }
    return proc
  }
  return {
    etcd,
    'kube-apiserver': apiServerFactory,
    'kube-controller-manager': controllerManagerFactory,
    'kube-scheduler': schedulerFactory,
  }
}
