// Registers the Debian userland commands of a simulated node (see README.md).
// Imported after the shell module: its `id` replaces the shell's root-only one.
import { registerCommands } from '../commands/registry'
import { chgrpCommand, chownCommand } from './chown'
import { gatedCommands } from './gate'
import { idCommand, whoamiCommand } from './identity'
import { lsCommand } from './ls'
import { readlinkCommand, realpathCommand } from './paths'
import { statCommand } from './stat'
import { suCommand } from './su'
import { sudoCommand } from './sudo'

registerCommands([
  sudoCommand,
  suCommand,
  whoamiCommand,
  idCommand,
  lsCommand,
  statCommand,
  chownCommand,
  chgrpCommand,
  realpathCommand,
  readlinkCommand,
  ...gatedCommands,
])
