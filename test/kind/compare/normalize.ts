// Normalizers for comparing what a learner sees on the simulator with what a
// real node prints: names, addresses, ages, ids, sizes and counters differ
// between any two clusters, so they are replaced by placeholders; everything
// else (columns, words, order, error texts, exit codes) must match.

export interface Seen {
  /** Node's own name (simulator: `controlplane`; kind: `<cluster>-control-plane`). */
  node: string
}

const CONTROL_PLANE_POD = /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)-/

/** Table output: runs of two or more spaces (column padding) become one tab; trailing blanks go. */
export function columns(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, '').replace(/ {2,}/g, '\t'))
    .join('\n')
}

/** etcdctl's `-w table` borders and padding: cell contents only, separated by `|`. */
export function tableCells(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\+[-+]*\+$/.test(l.trim()))
    .map((l) =>
      l
        .split('|')
        .map((c) => c.trim())
        .join('|'),
    )
    .join('\n')
}

export function common(text: string, seen: Seen): string {
  return (
    text
      .replaceAll(seen.node, '<node>')
      // etcd prints member ids with %x: up to 16 hex digits, no zero padding
      .replace(/\b(?=[0-9a-f]*[a-f])[0-9a-f]{12,16}\b/g, '<id>')
      .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
      .replace(/\b\d+(\.\d+)? ?(B|kB|MB|KiB|MiB)\b/g, '<size>')
      .replace(/\b3\.4\.\d+\b/g, '3.4.x')
  )
}

/** `kubectl get pods -n kube-system`, control-plane pods only (the fixture has no CoreDNS/kube-proxy). */
export function controlPlanePods(text: string, seen: Seen): string {
  const lines = common(text, seen).split('\n')
  const kept = lines.filter((l, i) => i === 0 || CONTROL_PLANE_POD.test(l))
  return columns(kept.join('\n')).replace(/\t\d+[smhd](\d+[smh])?$/gm, '\t<age>')
}

/** `kubectl get deploy`: ages out; the ready counts stay. */
export function deployments(text: string, seen: Seen): string {
  return columns(common(text, seen)).replace(/\t\d+[smhd](\d+[smh])?$/gm, '\t<age>')
}

/** The Volumes: section of `kubectl describe pod`, nothing else. */
export function volumesSection(text: string, seen: Seen): string {
  const lines = text.split('\n')
  const from = lines.findIndex((l) => l.startsWith('Volumes:'))
  if (from < 0) return `(no Volumes: section)\n${text}`
  const to = lines.findIndex((l, i) => i > from && /^\S/.test(l))
  return columns(common(lines.slice(from, to < 0 ? undefined : to).join('\n'), seen))
}

/** etcdctl member list / endpoint status, plain or table: ids, addresses, sizes and raft counters out. */
export function etcdTable(text: string, seen: Seen): string {
  const t = tableCells(common(text, seen))
  // endpoint status: the last three numeric fields are raft term, raft index and applied index
  return t
    .replace(
      /(true|false)([|,] ?)(true|false)([|,] ?)\d+([|,] ?)\d+([|,] ?)\d+/g,
      '$1$2$3$4<term>$5<index>$6<index>',
    )
    .replace(/(true|false)([|,] ?)\d+([|,] ?)\d+([|,] ?)(?=\||,|$)/gm, '$1$2<term>$3<index>$4')
}

/** etcdctl 3.4 logs JSON lines (zap) around snapshot save/restore: keep level, msg and field names. */
export function etcdLog(text: string, seen: Seen): string {
  return text
    .split('\n')
    .map((l) => {
      if (!l.startsWith('{')) return common(l, seen)
      try {
        const o = JSON.parse(l) as Record<string, unknown>
        return `{level=${o.level} msg=${JSON.stringify(o.msg)} fields=${Object.keys(o)
          .filter((k) => !['level', 'ts', 'msg'].includes(k))
          .join(',')}}`
      } catch {
        return common(l, seen)
      }
    })
    .join('\n')
}

/** Any other text: only the common replacements, trailing blanks out. */
export function plain(text: string, seen: Seen): string {
  return common(text, seen)
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
}
