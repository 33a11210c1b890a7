// Registers the everyday Linux tools of a Debian 12 kubeadm node (see README.md).
import { registerCommands } from '../commands/registry'
import { curlCommands } from './curl'
import { kubeadmCommands } from './kubeadm'
import { manCommands } from './man'
import { opensslCommands } from './openssl'
import { pagerCommands } from './pager'
import { procCommands } from './procs'
import { socketCommands } from './sockets'
import { sysinfoCommands } from './sysinfo'
import { toolCommands } from './tools'
import { topCommands } from './top'
import { watchCommands } from './watch'

registerCommands([
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
])
