// The shell part of the simulator: the interactive terminal every node opens
// (openShellTerminal, a cluster's `terminal`), and the process-environment
// commands (id, env, printenv, sleep, tail).
import type { SimCommand } from '../commands/types'
import { envCommand, printenvCommand } from './env'
import { sleepCommand, tailCommand } from './follow'
import { idCommand } from './id'

export const shellCommands: SimCommand[] = [idCommand, envCommand, printenvCommand, sleepCommand, tailCommand]

export { ShellSession } from './session'
export { attachShell, openShellTerminal, ShellTerminal } from './terminal'
