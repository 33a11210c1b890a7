// Go's text/tabwriter (flags 0, padchar ' '), which kubectl uses for every
// table (`kubectl get`: minwidth 6, padding 3) and for `kubectl describe`
// (minwidth 0, padding 2). Columns align per "column block": a run of
// consecutive lines that all have a cell in that column, so describe's nested
// sections line up exactly as real kubectl's do.

export interface TabOptions {
  minwidth: number
  padding: number
}

export const TABLE_TABS: TabOptions = { minwidth: 6, padding: 3 }
export const DESCRIBE_TABS: TabOptions = { minwidth: 0, padding: 2 }

function width(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Align tab-separated text. Every '\t' ends a cell; the text after the last tab is not padded. */
export function formatTabs(text: string, opts: TabOptions = TABLE_TABS): string {
  const endsWithNewline = text.endsWith('\n')
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n')
  const lines = rawLines.map((l) => l.split('\t'))
  const widths: number[] = []
  const out: string[] = []

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]
      let s = ''
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]
        s += c
        if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - width(c)))
      }
      out.push(s)
    }
  }

  const format = (l0: number, line1: number) => {
    let line0 = l0
    const column = widths.length
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i].length - 1) continue
      writeLines(line0, i)
      line0 = i
      let w = opts.minwidth
      for (; i < line1; i++) {
        const cells = lines[i]
        if (column >= cells.length - 1) break
        const cw = width(cells[column]) + opts.padding
        if (cw > w) w = cw
      }
      widths.push(w)
      format(line0, i)
      widths.pop()
      line0 = i
      i-- // the outer loop's i++ must revisit line i
    }
    writeLines(line0, line1)
  }

  format(0, lines.length)
  return out.join('\n') + (endsWithNewline ? '\n' : '')
}

/** A table of rows (cells without tabs) as kubectl get prints it. */
export function formatTable(rows: string[][]): string {
  if (rows.length === 0) return ''
  return formatTabs(rows.map((r) => r.join('\t')).join('\n') + '\n', TABLE_TABS)
}
