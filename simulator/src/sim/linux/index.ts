// Registers the everyday Linux tools of a Debian 12 kubeadm node (see README.md).
import { registerCommands } from '../commands/registry'
import { curlCommands } from './curl'
import { opensslCommands } from './openssl'
import { procCommands } from './procs'
import { socketCommands } from './sockets'
import { sysinfoCommands } from './sysinfo'

registerCommands([
  ...curlCommands,
  ...opensslCommands,
  ...sysinfoCommands,
  ...socketCommands,
  ...procCommands,
])
