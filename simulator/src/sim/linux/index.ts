// Registers the everyday Linux tools of a Debian 12 kubeadm node (see README.md).
import { registerCommands } from '../commands/registry'
import { curlCommands } from './curl'
import { kubeadmCommands } from './kubeadm'
import { opensslCommands } from './openssl'
import { procCommands } from './procs'
import { socketCommands } from './sockets'
import { sysinfoCommands } from './sysinfo'
import { toolCommands } from './tools'

registerCommands([
  ...curlCommands,
  ...kubeadmCommands,
  ...toolCommands,
  ...opensslCommands,
  ...sysinfoCommands,
  ...socketCommands,
  ...procCommands,
])
