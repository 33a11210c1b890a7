// Importing this module adds `kubectl` to every simulated node.
import { registerCommands } from '../../commands/registry'
import { kubectlCommands } from './index'

registerCommands(kubectlCommands)
