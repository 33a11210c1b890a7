// Registers the shell part of the simulator: the interactive terminal every
// node opens, and the process-environment commands (id, env, printenv).
import { registerCommands } from '../commands/registry'
import { SimNode } from '../node'
import { envCommand, printenvCommand } from './env'
import { sleepCommand, tailCommand } from './follow'
import { idCommand } from './id'
import { openShellTerminal } from './terminal'

SimNode.terminalFactory = openShellTerminal
registerCommands([idCommand, envCommand, printenvCommand, sleepCommand, tailCommand])

export { ShellSession } from './session'
export { attachShell, openShellTerminal, ShellTerminal } from './terminal'
