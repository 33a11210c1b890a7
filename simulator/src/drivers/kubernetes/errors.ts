import { NodeGoneError } from '../../seam'

// What can go wrong between ckalab and a Kubernetes API server, as messages
// that say what happened and what to do. Pure: every function takes the error
// the client threw (an ApiException with `code` and a Status `body`, or a
// network error with `code`) and the place ckalab was working on.

/** The API server could not be used: unreachable, refused credentials, missing RBAC, bad namespace. */
export class KubernetesApiError extends Error {
  constructor(
    message: string,
    /** unreachable | unauthorized | forbidden | namespace-missing | namespace-terminating | quota | other */
    readonly kind: ApiErrorKind,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'KubernetesApiError'
  }
}

/** The cluster has no room for the environment (it stayed Pending, or a quota refused it). */
export class KubernetesCapacityError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KubernetesCapacityError'
  }
}

/** The environment's pod failed to start (image missing, crash) or never became ready in time. */
export class KubernetesCreateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KubernetesCreateError'
  }
}

/** A lab node's pod is gone: evicted, deleted, its namespace deleted, or it stopped. */
export class PodGoneError extends NodeGoneError {
  constructor(node: string, why: string) {
    super(node, `node ${node} is not available (${why}); reset the attempt to get a new environment`)
    this.name = 'PodGoneError'
  }
}

export type ApiErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'namespace-missing'
  | 'namespace-terminating'
  | 'quota'
  | 'not-found'
  | 'other'

interface StatusBody {
  message?: string
  reason?: string
  details?: { kind?: string; name?: string }
}

/** The Status object the API server sent, whether the client kept it parsed or as text. */
export function statusOf(err: unknown): { code?: number; body: StatusBody } {
  const e = err as { code?: unknown; body?: unknown; statusCode?: unknown }
  const code =
    typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : undefined
  let body: StatusBody = {}
  if (typeof e?.body === 'string') {
    try {
      body = JSON.parse(e.body) as StatusBody
    } catch {
      body = { message: e.body }
    }
  } else if (e?.body && typeof e.body === 'object') body = e.body as StatusBody
  return { code, body }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
])

/** The network-level cause (ECONNREFUSED …) of a failed request, if that is what it was. */
export function networkCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown; errno?: unknown } | undefined
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || /^ERR_TLS|CERT|SELF_SIGNED/.test(e.code)))
      return e.code
    e = e.cause as typeof e
  }
  const text = String((err as Error)?.message ?? err)
  const m = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\b/.exec(text)
  return m?.[1]
}

export interface ApiContext {
  /** What ckalab was doing, e.g. "create the pod ckalab-1a2b-control-plane". */
  doing: string
  /** The API server's address, for the unreachable case. */
  server?: string
  namespace?: string
  /** The identity ckalab used, for RBAC messages (e.g. system:serviceaccount:ckalab:ckalab). */
  user?: string
}

/** Turns anything the client threw into a KubernetesApiError (or KubernetesCapacityError) with advice. */
export function describeApiError(err: unknown, ctx: ApiContext): Error {
  if (err instanceof KubernetesApiError || err instanceof KubernetesCapacityError) return err
  const net = networkCode(err)
  const { code, body } = statusOf(err)
  const said = body.message ? `: ${body.message}` : ''
  if (net || code === undefined) {
    const why = net ?? String((err as Error)?.message ?? err).slice(0, 200)
    return new KubernetesApiError(
      `could not ${ctx.doing}: the Kubernetes API server${ctx.server ? ` at ${ctx.server}` : ''} did not answer (${why}); ` +
        'check that the cluster is running and that CKALAB_K8S_KUBECONFIG (or the in-cluster service account) points at it; ' +
        'learners cannot start real clusters until it answers, the simulator still works',
      'unreachable',
    )
  }
  if (code === 401) {
    return new KubernetesApiError(
      `could not ${ctx.doing}: the API server refused ckalab's credentials (401 Unauthorized)${said}; renew the kubeconfig's token or certificate`,
      'unauthorized',
      code,
    )
  }
  if (code === 403 && /exceeded quota/i.test(body.message ?? '')) {
    return new KubernetesCapacityError(
      `the lab namespace's quota is used up, so no new environment fits${said}; wait for another learner to finish, or raise the ResourceQuota in ${ctx.namespace ?? 'the lab namespace'}`,
    )
  }
  if (code === 403 && /being terminated/i.test(body.message ?? '')) {
    return new KubernetesApiError(
      `could not ${ctx.doing}: the namespace ${ctx.namespace ?? ''} is being deleted; wait until it is gone (kubectl get namespace ${ctx.namespace ?? ''}) and start again, ckalab then makes it anew`,
      'namespace-terminating',
      code,
    )
  }
  if (code === 403) {
    return new KubernetesApiError(
      `could not ${ctx.doing}: ${ctx.user ?? "ckalab's identity"} is not allowed to (403 Forbidden)${said}; ` +
        `grant it the Role in deploy/kubernetes/base/rbac.yaml in namespace ${ctx.namespace ?? 'of the labs'} (kubectl apply -k deploy/kubernetes/base)`,
      'forbidden',
      code,
    )
  }
  if (code === 404 && body.details?.kind === 'namespaces') {
    return new KubernetesApiError(
      `could not ${ctx.doing}: the namespace ${body.details.name ?? ctx.namespace} does not exist (deleted by hand?); ` +
        'ckalab makes it again when allowed to, otherwise recreate it with kubectl apply -k deploy/kubernetes/base',
      'namespace-missing',
      code,
    )
  }
  if (code === 404) {
    return new KubernetesApiError(`could not ${ctx.doing}: not found (404)${said}`, 'not-found', code)
  }
  return new KubernetesApiError(
    `could not ${ctx.doing}: the API server answered ${code}${said}`,
    'other',
    code,
  )
}
