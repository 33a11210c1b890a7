// The terminal editors (vim, vi, nano) of a simulated node.
import type { SimCommand } from '../commands/types'
import { nanoCommand } from './nano'
import { viCommand, vimCommand } from './vim-command'

export const editorCommands: SimCommand[] = [vimCommand, viCommand, nanoCommand]
