// The Debian userland commands of a simulated node (see README.md). Listed
// after the shell's commands: its `id` replaces the shell's root-only one.
import type { SimCommand } from '../commands/types'
import { followingTail } from '../shell/follow'
import { installCommand, tarCommand } from './archive'
import { chgrpCommand, chownCommand } from './chown'
import { archiveCp } from './cp-archive'
import { curlCommands } from './curl'
import { dateCommand } from './date'
import { fileToolCommands } from './filetools'
import { gatedCommands } from './gate'
import { idCommand, whoamiCommand } from './identity'
import { kubeadmCommands } from './kubeadm'
import { lsCommand } from './ls'
import { manCommands } from './man'
import { opensslCommands } from './openssl'
import { pagerCommands } from './pager'
import { readlinkCommand, realpathCommand } from './paths'
import { procCommands } from './procs'
import { socketCommands } from './sockets'
import { statCommand } from './stat'
import { suCommand } from './su'
import { sudoCommand } from './sudo'
import { sysinfoCommands } from './sysinfo'
import { toolCommands } from './tools'
import { topCommands } from './top'
import { watchCommands } from './watch'

export const linuxCommands: SimCommand[] = [
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
  // tail -f follows after the permission check (listed after the shell's own tail, so it replaces it).
  // cp -a and -p keep modes, owners and times on top of the permission check.
  ...gatedCommands.map((c) => (c.name === 'tail' ? followingTail(c) : c.name === 'cp' ? archiveCp(c) : c)),
  tarCommand,
  dateCommand,
  ...fileToolCommands,
  installCommand,
  ...curlCommands,
  ...manCommands,
  ...pagerCommands,
  ...topCommands,
  ...watchCommands,
  ...kubeadmCommands,
  ...toolCommands,
  ...opensslCommands,
  ...sysinfoCommands,
  ...socketCommands,
  ...procCommands,
]
