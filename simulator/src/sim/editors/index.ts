// Registers the terminal editors (vim, vi, nano) on every simulated node.
import { registerCommands } from '../commands/registry'
import { nanoCommand } from './nano'
import { viCommand, vimCommand } from './vim-command'

registerCommands([vimCommand, viCommand, nanoCommand])
