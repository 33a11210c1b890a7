// Registers the Debian userland commands of a simulated node (see README.md).
// Imported after the shell module: its `id` replaces the shell's root-only one.
import { registerCommands } from '../commands/registry'
import { chgrpCommand, chownCommand } from './chown'
import { curlCommands } from './curl'
import { gatedCommands } from './gate'
import { idCommand, whoamiCommand } from './identity'
import { kubeadmCommands } from './kubeadm'
import { lsCommand } from './ls'
import { opensslCommands } from './openssl'
import { readlinkCommand, realpathCommand } from './paths'
import { procCommands } from './procs'
import { socketCommands } from './sockets'
import { statCommand } from './stat'
import { suCommand } from './su'
import { sudoCommand } from './sudo'
import { sysinfoCommands } from './sysinfo'
import { toolCommands } from './tools'

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
  ...curlCommands,
  ...kubeadmCommands,
  ...toolCommands,
  ...opensslCommands,
  ...sysinfoCommands,
  ...socketCommands,
  ...procCommands,
])
