import type { SimCommand } from './types'

// Every command the simulator adds to just-bash, in one list. Modules register
// here so a node picks them all up; order does not matter.

const registry = new Map<string, SimCommand>()

export function registerCommand(command: SimCommand): void {
  registry.set(command.name, command)
}

export function registerCommands(commands: SimCommand[]): void {
  for (const c of commands) registerCommand(c)
}

export function allCommands(): SimCommand[] {
  return [...registry.values()]
}
