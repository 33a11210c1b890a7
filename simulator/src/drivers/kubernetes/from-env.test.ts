import { describe, expect, it } from 'vitest'
import { kubernetesOptionsFromEnv } from './from-env'

describe('kubernetes driver settings from the environment', () => {
  it('needs an image, and says so', () => {
    expect(() => kubernetesOptionsFromEnv({})).toThrow(/CKALAB_K8S_IMAGE is not set/)
  })
  it('reads every setting', () => {
    const o = kubernetesOptionsFromEnv({
      CKALAB_K8S_IMAGE: '1.20=ckalab/lab-node:1.20,1.34=ckalab/lab-node:1.34',
      CKALAB_K8S_NAMESPACE: 'labs',
      CKALAB_K8S_CPU: '250m',
      CKALAB_K8S_MEMORY: '256Mi',
      CKALAB_K8S_NODE_SELECTOR: 'pool=labs',
      CKALAB_K8S_CAPACITY_WAIT: '30',
      CKALAB_K8S_WARM_POOL: '2:1.20',
      CKALAB_K8S_PULL_POLICY: 'Never',
    })
    expect(o.images).toEqual({ '1.20': 'ckalab/lab-node:1.20', '1.34': 'ckalab/lab-node:1.34' })
    expect(o.namespace).toBe('labs')
    expect(o.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    })
    expect(o.nodeSelector).toEqual({ pool: 'labs' })
    expect(o.capacityTimeoutMs).toBe(30_000)
    expect(o.warmPool).toEqual({ size: 2, spec: { controlPlanes: 1, workers: 0, kubernetes: '1.20' } })
    expect(o.imagePullPolicy).toBe('Never')
  })
  it('refuses malformed values with what to write', () => {
    expect(() => kubernetesOptionsFromEnv({ CKALAB_K8S_IMAGE: 'i', CKALAB_K8S_CPU: 'lots' })).toThrow(
      /not a Kubernetes quantity/,
    )
    expect(() => kubernetesOptionsFromEnv({ CKALAB_K8S_IMAGE: 'i', CKALAB_K8S_NAMESPACE: 'Labs_1' })).toThrow(
      /not a namespace name/,
    )
    expect(() =>
      kubernetesOptionsFromEnv({ CKALAB_K8S_IMAGE: 'i', CKALAB_K8S_PULL_POLICY: 'sometimes' }),
    ).toThrow(/Always, IfNotPresent or Never/)
  })
})
