import { ApiException } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { describeApiError, KubernetesApiError, KubernetesCapacityError, networkCode } from './errors'

const ctx = { doing: 'create the pod ckalab-x-0', server: 'https://10.0.0.1:6443', namespace: 'ckalab-labs' }
const api = (code: number, body: object) => new ApiException(code, 'HTTP-Code', JSON.stringify(body), {})

describe('describeApiError', () => {
  it('an unreachable API server names the address and what still works', () => {
    const e = describeApiError(
      Object.assign(new Error('request to https://10.0.0.1:6443 failed'), { code: 'ECONNREFUSED' }),
      ctx,
    )
    expect(e).toBeInstanceOf(KubernetesApiError)
    expect((e as KubernetesApiError).kind).toBe('unreachable')
    expect(e.message).toMatch(/API server at https:\/\/10\.0\.0\.1:6443 did not answer \(ECONNREFUSED\)/)
    expect(e.message).toMatch(/simulator still works/)
  })
  it('missing RBAC says which Role to grant and where', () => {
    const e = describeApiError(
      api(403, {
        kind: 'Status',
        reason: 'Forbidden',
        message:
          'pods is forbidden: User "system:serviceaccount:ckalab:ckalab" cannot create resource "pods" in API group "" in the namespace "ckalab-labs"',
      }),
      ctx,
    )
    expect((e as KubernetesApiError).kind).toBe('forbidden')
    expect(e.message).toMatch(/cannot create resource "pods"/)
    expect(e.message).toMatch(/deploy\/kubernetes\/base\/rbac\.yaml in namespace ckalab-labs/)
  })
  it('a used-up quota is a capacity problem', () => {
    const e = describeApiError(
      api(403, {
        message:
          'pods "ckalab-x-0" is forbidden: exceeded quota: labs, requested: cpu=1, used: cpu=8, limited: cpu=8',
      }),
      ctx,
    )
    expect(e).toBeInstanceOf(KubernetesCapacityError)
    expect(e.message).toMatch(/quota is used up/)
  })
  it('a namespace deleted by hand, and one being deleted', () => {
    const gone = describeApiError(
      api(404, {
        message: 'namespaces "ckalab-labs" not found',
        details: { name: 'ckalab-labs', kind: 'namespaces' },
      }),
      ctx,
    )
    expect((gone as KubernetesApiError).kind).toBe('namespace-missing')
    expect(gone.message).toMatch(/namespace ckalab-labs does not exist/)
    const going = describeApiError(
      api(403, {
        message:
          'pods "x" is forbidden: unable to create new content in namespace ckalab-labs because it is being terminated',
      }),
      ctx,
    )
    expect((going as KubernetesApiError).kind).toBe('namespace-terminating')
  })
  it('401 asks for new credentials', () => {
    expect(describeApiError(api(401, { message: 'Unauthorized' }), ctx).message).toMatch(
      /refused ckalab's credentials/,
    )
  })
  it('finds the network cause in nested errors', () => {
    expect(networkCode({ cause: { code: 'EHOSTUNREACH' } })).toBe('EHOSTUNREACH')
    expect(networkCode(new Error('connect ETIMEDOUT 10.0.0.1:6443'))).toBe('ETIMEDOUT')
    expect(networkCode(new Error('other'))).toBeUndefined()
  })
})
