// The simulated network: which process listens on which (node, host, port),
// and how a URL typed on one node reaches a listener on another. Hosts are
// node names, node IPs, 127.0.0.1/localhost/::1 (the caller's own node).

export interface ParsedUrl {
  scheme: string
  host: string
  port: number
}

export interface Listener<S = unknown> {
  nodeName: string
  /** The address the process bound: an IP of the node, 127.0.0.1, or 0.0.0.0. */
  host: string
  port: number
  scheme: 'http' | 'https'
  /** What answers here, e.g. an etcd member or an apiserver. */
  kind: string
  service: S
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/** Parse `https://10.0.0.1:2379`, `10.0.0.1:2379` or `localhost:2379` the way Go's grpc target parsing sees it. */
export function parseEndpoint(raw: string, defaultScheme = 'http'): ParsedUrl | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(raw.trim())
  if (!m) return undefined
  const scheme = (m[1] ?? defaultScheme).toLowerCase()
  const host = m[2].replace(/^\[|\]$/g, '')
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined
  return { scheme, host, port }
}

export class Network {
  private listeners: Listener[] = []
  private addresses = new Map<string, string>() // ip or hostname -> node name

  addNode(nodeName: string, ip: string): void {
    this.addresses.set(ip, nodeName)
    this.addresses.set(nodeName, nodeName)
  }

  /** The node an address means when used from `fromNode`, or undefined when nothing has it. */
  nodeFor(fromNode: string, host: string): string | undefined {
    if (LOOPBACK.has(host)) return fromNode
    return this.addresses.get(host)
  }

  listen<S>(l: Listener<S>): () => void {
    this.listeners.push(l as Listener)
    return () => {
      const i = this.listeners.indexOf(l as Listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  /** Find what answers `host:port` when dialled from `fromNode`. */
  connect(fromNode: string, host: string, port: number): Listener | undefined {
    const target = this.nodeFor(fromNode, host)
    if (!target) return undefined
    const loopback = LOOPBACK.has(host)
    return this.listeners.find(
      (l) =>
        l.nodeName === target &&
        l.port === port &&
        (l.host === '0.0.0.0' ||
          (loopback ? LOOPBACK.has(l.host) : l.host === host || this.addresses.get(l.host) === target)),
    )
  }

  all(): readonly Listener[] {
    return this.listeners
  }
}
