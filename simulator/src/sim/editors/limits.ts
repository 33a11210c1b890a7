// How much the simulated editors hold in memory, and what they say past it.
//
// Real vim keeps its buffer in a swap-backed memline and nano keeps a linked
// list of lines: both are bounded only by the machine's memory. When that
// runs out while reading, vim says `E342: Out of memory!`, keeps the lines it
// read (`[READ ERRORS]`) and makes the buffer read-only; nano leaves with
// `Nano is out of memory!` (both seen on Debian 12 under `ulimit -v`).
//
// The simulated editors share one attempt's worker with the node's filesystem
// and shell, so they get a budget of their own and answer as the real editors
// do when it, rather than the machine's memory, runs out. 64 MiB, counted as
// a line's characters plus LINE_COST bytes (a short string and its array slot
// in V8, measured at 32 bytes a line): the node's disk holds at most 64 MiB of
// files, so every file fits as far as its characters go, and what the budget
// stops is a file of millions of short lines (64 MB of `yes` output is 32
// million lines, about 1 GB as strings) and puts or pastes that multiply the
// buffer. A 100,000-line file (about 3.5 MB here) or a 16 MB line is far
// inside; with the undo history capped the same way, an editor stays within
// a few times the budget however it is used.

export const EDITOR_BUDGET = 64 * 1024 * 1024
export const LINE_COST = 32

/** The budget's estimate of what these lines cost. */
export function linesCost(lines: readonly string[]): number {
  let cost = 0
  for (const line of lines) cost += line.length + LINE_COST
  return cost
}

export interface LoadedLines {
  lines: string[]
  /** The file did not end with a newline. */
  noEol: boolean
  /** False when the budget ran out before the end of the file: `lines` holds the lines before that. */
  complete: boolean
  /** Characters of the kept lines, newlines included. */
  keptChars: number
  /** Characters the line that did not fit needed, with its newline. */
  refused: number
}

/**
 * Split file content into lines the way the editors load it (a CRLF ends a
 * line like a LF), keeping only as many lines as the budget holds. The file is
 * split a megabyte at a time, so lines past the budget are never made into
 * strings and a huge file costs one pass.
 */
export function splitWithin(content: string, budget = EDITOR_BUDGET): LoadedLines {
  if (content === '') return { lines: [''], noEol: false, complete: true, keptChars: 0, refused: 0 }
  const noEol = !content.endsWith('\n')
  // Every line of the body ends with a newline in the file, but the last one when noEol.
  const body = noEol ? content : content.slice(0, -1)
  const lines: string[] = []
  let cost = 0
  let at = 0
  while (at <= body.length) {
    let end = body.indexOf('\n', Math.min(body.length, at + SPLIT_CHUNK))
    if (end < 0) end = body.length
    const pieces = body.slice(at, end).split('\n')
    for (let k = 0; k < pieces.length; k++) {
      let line = pieces[k] as string
      const need = line.length + LINE_COST
      if (cost + need > budget)
        return { lines, noEol, complete: false, keptChars: at, refused: line.length + 1 }
      const endsWithNewline = end < body.length || k < pieces.length - 1 || !noEol
      if (endsWithNewline && line.endsWith('\r')) line = line.slice(0, -1)
      lines.push(line)
      cost += need
      at += (pieces[k] as string).length + 1
    }
  }
  return { lines, noEol, complete: true, keptChars: content.length, refused: 0 }
}

const SPLIT_CHUNK = 1024 * 1024
