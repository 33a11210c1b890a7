// Editing an array of lines in place without spreading it into a call:
// `lines.splice(at, n, ...items)` passes every item as an argument, and a few
// hundred thousand arguments overflow the stack (a yank of the whole of a big
// file, then p, or undoing its deletion).

/** Like `lines.splice(start, deleteCount, ...items)`, for any number of items. */
export function spliceLines(
  lines: string[],
  start: number,
  deleteCount: number,
  items: readonly string[],
): string[] {
  if (items.length <= 1024) return lines.splice(start, deleteCount, ...items)
  const removed = lines.slice(start, start + deleteCount)
  const tail = lines.slice(start + deleteCount)
  lines.length = start
  for (const line of items) lines.push(line)
  for (const line of tail) lines.push(line)
  return removed
}

/** Like `lines.push(...items)`, for any number of items. */
export function pushLines(lines: string[], items: readonly string[]): void {
  for (const line of items) lines.push(line)
}
