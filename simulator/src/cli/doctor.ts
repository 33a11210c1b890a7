import { SimDriver } from '../drivers/sim'

// `ckalab doctor`: which drivers work on this machine, and what to do about
// the ones that do not.

export interface DriverReport {
  name: string
  ok: boolean
  detail: string
}

interface ProbeLike {
  probe(): Promise<{ ok: boolean; reason?: string }>
}

async function probeKind(): Promise<DriverReport> {
  let mod: Record<string, unknown>
  try {
    mod = (await import('../drivers/kind/index')) as Record<string, unknown>
  } catch (err) {
    return { name: 'kind', ok: false, detail: `this ckalab has no kind driver (${(err as Error).message})` }
  }
  const Driver = mod.KindDriver as (new (opts: object) => ProbeLike) | undefined
  if (typeof Driver !== 'function')
    return { name: 'kind', ok: false, detail: 'this ckalab has no kind driver' }
  try {
    // the same settings `ckalab serve` and `ckalab try` use
    const { kindOptionsFromEnv } = await import('../drivers/kind/from-env')
    const result = await new Driver(kindOptionsFromEnv()).probe()
    return {
      name: 'kind',
      ok: result.ok,
      detail: result.ok ? 'usable: Docker and kind are ready' : (result.reason ?? 'not usable here'),
    }
  } catch (err) {
    return { name: 'kind', ok: false, detail: `could not check: ${(err as Error).message}` }
  }
}

/**
 * The kubernetes driver with the settings `ckalab serve --driver kubernetes` reads (CKALAB_K8S_*): the API
 * server answers, ckalab's identity holds the rights the driver needs, and the labs namespace is there.
 */
export async function probeKubernetes(env: NodeJS.ProcessEnv = process.env): Promise<DriverReport> {
  const name = 'kubernetes'
  if (!env.CKALAB_K8S_IMAGE?.trim())
    return {
      name,
      ok: false,
      detail:
        'not configured: set CKALAB_K8S_IMAGE (the lab node image) and CKALAB_K8S_KUBECONFIG or KUBECONFIG\n(docs/scale.md)',
    }
  try {
    const { KubernetesDriver } = await import('../drivers/kubernetes/driver')
    const { kubernetesOptionsFromEnv } = await import('../drivers/kubernetes/from-env')
    const driver = new KubernetesDriver(kubernetesOptionsFromEnv(env))
    const where = `API server ${driver.server ?? '(none in the kubeconfig)'}`
    const probe = await driver.probe()
    if (!probe.ok) return { name, ok: false, detail: `not usable: ${probe.reason ?? where}` }
    const ns = await driver.namespaceState()
    const make = driver.createsNamespace
    const nsNote = {
      present: `namespace ${driver.namespace} present`,
      missing: make
        ? `namespace ${driver.namespace} missing: ckalab makes it at the first start`
        : `namespace ${driver.namespace} missing: apply the manifests (kubectl apply -k deploy/kubernetes/base)`,
      terminating: `namespace ${driver.namespace} is being deleted: wait until it is gone`,
      unknown: `namespace ${driver.namespace} not readable with ckalab's Role (its pods tell at the first start)`,
    }[ns]
    const ok = ns === 'present' || ns === 'unknown' || (ns === 'missing' && make)
    return {
      name,
      ok,
      detail: `${ok ? 'usable' : 'not usable'}: ${where} answers, RBAC allows pods, pods/exec and network policies in ${driver.namespace}; ${nsNote}`,
    }
  } catch (err) {
    return { name, ok: false, detail: `could not check: ${(err as Error).message}` }
  }
}

export async function doctorReports(): Promise<DriverReport[]> {
  const sim = await new SimDriver().probe()
  return [
    {
      name: 'sim',
      ok: sim.ok,
      detail: sim.ok
        ? 'usable: the simulated cluster runs inside ckalab and needs nothing installed'
        : (sim.reason ?? ''),
    },
    await probeKind(),
    await probeKubernetes(),
  ]
}

export function formatDoctor(reports: DriverReport[]): string {
  const lines = reports.map((r) => {
    const [first, ...rest] = r.detail.split('\n')
    return [`${r.ok ? '✓' : '✗'} ${r.name.padEnd(5)} ${first}`, ...rest.map((l) => `        ${l}`)].join('\n')
  })
  return `${lines.join('\n')}\n`
}

export async function doctorCommand(out: NodeJS.WritableStream): Promise<number> {
  const reports = await doctorReports()
  out.write(formatDoctor(reports))
  // The simulator always works, so doctor succeeds; a missing kind or cluster is information, not failure.
  return reports.some((r) => r.ok) ? 0 : 1
}
