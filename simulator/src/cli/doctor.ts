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
  // The simulator always works, so doctor succeeds; a missing kind is information, not failure.
  return reports.some((r) => r.ok) ? 0 : 1
}
