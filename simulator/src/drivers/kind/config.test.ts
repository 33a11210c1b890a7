import { readFileSync } from 'node:fs'
import Ajv from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { kindConfig, kindConfigYaml, specProblem } from './config'

const schema = JSON.parse(readFileSync(new URL('./kind-config.schema.json', import.meta.url), 'utf8'))
const validate = new Ajv({ allErrors: true }).compile(schema)

function valid(doc: unknown): boolean {
  return validate(doc) as boolean
}

describe('kind config for a cluster spec', () => {
  it('one control plane, the profile image, valid v1alpha4', () => {
    const cfg = kindConfig(
      { controlPlanes: 1, kubernetes: '1.31' },
      { name: 'ckalab-a1', image: 'kindest/node:v1.31.0' },
    )
    const doc = parse(kindConfigYaml(cfg))
    expect(valid(doc)).toBe(true)
    expect(doc.nodes).toEqual([{ role: 'control-plane', image: 'kindest/node:v1.31.0' }])
    expect(doc.name).toBe('ckalab-a1')
  })

  it('three control planes and workers, with a snapshot mount on the control planes', () => {
    const cfg = kindConfig(
      { controlPlanes: 3, workers: 2, kubernetes: '1.34' },
      {
        name: 'ckalab-b2',
        image: 'ckalab/node:v1.34.0-tools',
        controlPlaneMounts: [
          { hostPath: '/tmp/etcd-lab', containerPath: '/opt/backup', propagation: 'HostToContainer' },
        ],
      },
    )
    const doc = parse(kindConfigYaml(cfg))
    expect(valid(doc)).toBe(true)
    expect(doc.nodes.map((n: { role: string }) => n.role)).toEqual([
      'control-plane',
      'control-plane',
      'control-plane',
      'worker',
      'worker',
    ])
    expect(doc.nodes[2].extraMounts[0]).toEqual({
      hostPath: '/tmp/etcd-lab',
      containerPath: '/opt/backup',
      propagation: 'HostToContainer',
    })
    expect(doc.nodes[3].extraMounts).toBeUndefined()
  })

  it('the schema rejects what kind would reject', () => {
    expect(
      valid({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha3', nodes: [{ role: 'control-plane' }] }),
    ).toBe(false)
    expect(
      valid({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: [{ role: 'master' }] }),
    ).toBe(false)
    expect(
      valid({
        kind: 'Cluster',
        apiVersion: 'kind.x-k8s.io/v1alpha4',
        nodes: [
          {
            role: 'control-plane',
            extraMounts: [{ hostPath: '/a', containerPath: '/b', propagation: 'Shared' }],
          },
        ],
      }),
    ).toBe(false)
    expect(
      valid({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: [{ role: 'worker' }] }),
    ).toBe(false)
  })

  it('refuses shapes the labs do not use', () => {
    expect(specProblem({ controlPlanes: 2, kubernetes: '1.34' })).toMatch(/1 or 3 control planes, not 2/)
    expect(specProblem({ controlPlanes: 1, workers: -1, kubernetes: '1.34' })).toMatch(/0 to 3 workers/)
    expect(() => kindConfig({ controlPlanes: 0, kubernetes: '1.34' }, { name: 'x', image: 'i' })).toThrow(
      /not 0/,
    )
  })
})
