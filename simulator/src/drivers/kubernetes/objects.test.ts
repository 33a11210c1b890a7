import { describe, expect, it } from 'vitest'
import {
  ATTEMPT_LABEL,
  attemptPolicy,
  defaultResources,
  denyAllPolicy,
  dnsLabel,
  LAB_POOL_TAINT,
  labNodeNames,
  labPod,
  MANAGED_BY,
  NODE_LABEL,
  SPEC_ANNOTATION,
} from './objects'

const spec = { controlPlanes: 1, kubernetes: '1.20' as const, name: 'Backup Lab' }

describe('lab pod objects', () => {
  it('names nodes as kind does, as DNS labels', () => {
    expect(
      labNodeNames({ controlPlanes: 3, workers: 2, kubernetes: '1.34', name: 'ha' }).map((n) => n.node),
    ).toEqual(['ha-control-plane', 'ha-control-plane2', 'ha-control-plane3', 'ha-worker', 'ha-worker2'])
    expect(dnsLabel('Backup Lab!')).toBe('backup-lab')
    expect(dnsLabel('---')).toBe('lab')
  })

  it('a lab pod: labelled with its environment, no token, never restarted, requests and limits, tolerates the lab pool', () => {
    const node = labNodeNames(spec)[0]!
    const pod = labPod(
      { image: 'img:1', resources: defaultResources('stand-in') },
      { prefix: 'ckalab-', id: 'ab12cd34', spec, index: 0, node },
    )
    expect(pod.metadata?.name).toBe('ckalab-ab12cd34-0')
    expect(pod.metadata?.labels).toMatchObject({
      [MANAGED_BY]: 'ckalab',
      [ATTEMPT_LABEL]: 'ab12cd34',
      [NODE_LABEL]: 'backup-lab-control-plane',
    })
    expect(JSON.parse(pod.metadata?.annotations?.[SPEC_ANNOTATION] ?? '')).toEqual(spec)
    expect(pod.spec?.hostname).toBe('backup-lab-control-plane')
    expect(pod.spec?.automountServiceAccountToken).toBe(false)
    expect(pod.spec?.restartPolicy).toBe('Never')
    expect(pod.spec?.tolerations).toEqual([LAB_POOL_TAINT])
    const c = pod.spec?.containers[0]
    expect(c?.resources?.requests).toEqual({ cpu: '100m', memory: '128Mi' })
    expect(c?.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' })
    expect(c?.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false })
    expect(c?.volumeMounts).toBeUndefined()
  })

  it('a kind node pod: privileged, tmpfs /run and /tmp, containerd on an emptyDir, kind’s labels, no host path', () => {
    const node = labNodeNames(spec)[0]!
    const pod = labPod(
      {
        image: 'img:1',
        resources: defaultResources('kind-node'),
        privileged: true,
        nodeSelector: { pool: 'labs' },
      },
      { prefix: 'ckalab-', id: 'x', spec, index: 0, node },
    )
    const c = pod.spec?.containers[0]
    expect(c?.securityContext).toEqual({ privileged: true })
    expect(pod.spec?.nodeSelector).toEqual({ pool: 'labs' })
    expect(pod.spec?.automountServiceAccountToken).toBe(false)
    expect(pod.spec?.hostname).toBe('backup-lab-control-plane')
    expect(pod.metadata?.labels).toMatchObject({
      'io.x-k8s.kind.cluster': 'ckalab-x',
      'io.x-k8s.kind.role': 'control-plane',
    })
    expect(c?.volumeMounts?.map((m) => m.mountPath)).toEqual(['/var/lib/containerd', '/run', '/tmp'])
    const volumes = Object.fromEntries((pod.spec?.volumes ?? []).map((v) => [v.name, v]))
    expect(volumes.run?.emptyDir).toEqual({ medium: 'Memory' })
    expect(volumes.tmp?.emptyDir).toEqual({ medium: 'Memory' })
    expect(volumes.containerd?.emptyDir).toEqual({})
    expect(pod.spec?.volumes?.some((v) => v.hostPath)).toBe(false)
  })

  it('network policies: deny everything between ckalab pods, allow an environment to reach itself', () => {
    const deny = denyAllPolicy()
    expect(deny.spec?.policyTypes).toEqual(['Ingress', 'Egress'])
    expect(deny.spec?.ingress).toEqual([])
    expect(deny.spec?.egress).toEqual([])
    const own = attemptPolicy('ckalab-', 'ab12')
    expect(own.metadata?.name).toBe('ckalab-ab12')
    expect(own.spec?.podSelector?.matchLabels?.[ATTEMPT_LABEL]).toBe('ab12')
    expect(own.spec?.ingress?.[0]?._from?.[0]?.podSelector?.matchLabels?.[ATTEMPT_LABEL]).toBe('ab12')
    expect(own.spec?.egress?.[0]?.to?.[0]?.podSelector?.matchLabels?.[ATTEMPT_LABEL]).toBe('ab12')
  })
})
