import type { SimCommand } from './types'

// The commands of one simulated cluster, by name, from the list it was composed
// with (createSimCluster's `commands`). A later command of the same name
// replaces an earlier one in its place, so a part can refine another's command
// (the Debian userland's `id` and `tail -f` over the shell's own).

export function commandTable(commands: readonly SimCommand[]): ReadonlyMap<string, SimCommand> {
  const table = new Map<string, SimCommand>()
  for (const c of commands) table.set(c.name, c)
  return table
}
