// Small output helpers shared by crictl, ps and systemctl.

/** go-units HumanDuration, as crictl's CREATED column ("2 minutes ago"). */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  const m = Math.floor(s / 60)
  if (m === 1) return 'About a minute'
  if (m < 60) return `${m} minutes`
  const h = Math.round(s / 3600)
  if (h === 1) return 'About an hour'
  if (h < 48) return `${h} hours`
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`
  return `${Math.floor(h / 24 / 365)} years`
}

/** Go's text/tabwriter with padding (cells left-aligned, last column unpadded). */
export function tabwrite(rows: string[][], minWidth: number, padding: number): string {
  const widths: number[] = []
  for (const r of rows) {
    r.forEach((cell, i) => {
      if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length + padding, minWidth)
    })
  }
  return rows
    .map((r) => `${r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('')}\n`)
    .join('')
}
