import type { FlagSpec, Parsed } from './args'
import {
  runConfigView,
  runCurrentContext,
  runGetContexts,
  runSetContext,
  runUseContext,
} from './config-verbs'
import type { Kube } from './context'
import { GET_FLAGS, runGet } from './get'
import {
  runApiResources,
  runClusterInfo,
  runDescribe,
  runEvents,
  runExec,
  runLogs,
  runRolloutStatus,
  runVersion,
  runWait,
} from './misc'
import {
  runApply,
  runCreate,
  runCreateConfigMap,
  runCreateDeployment,
  runCreateNamespace,
  runDelete,
  runLabelOrAnnotate,
  runRun,
  runScale,
} from './mutate'

// The verb tree of the simulated kubectl: flags, help text and handler per verb.

export interface Verb {
  short?: string
  help?: string
  flags?: FlagSpec[]
  /** Resolves resource types through discovery (so 1.26+ prints memcache lines when the server is down). */
  discovery?: boolean
  run?: (k: Kube, p: Parsed) => Promise<number>
  /** First Kubernetes minor that has this verb (older kubectl says unknown command). */
  minMinor?: number
  /** Flags cobra insists on before running (`required flag(s) "image" not set`). */
  required?: string[]
  sub?: Record<string, Verb>
}

const S = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' })
const B = (name: string, short?: string): FlagSpec => ({ name, short, type: 'bool' })
const I = (name: string, short?: string): FlagSpec => ({ name, short, type: 'int' })
const L = (name: string, short?: string): FlagSpec => ({ name, short, type: 'strings' })

const OUTPUT = S('output', 'o')
const DRY = S('dry-run')
const FILE = L('filename', 'f')

function help(use: string, text: string): string {
  return `${text}\n\nUsage:\n  ${use}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`
}

export const VERBS: Record<string, Verb> = {
  get: {
    help: help(
      'kubectl get [(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
      'Display one or many resources.',
    ),
    flags: GET_FLAGS,
    discovery: true,
    run: runGet,
  },
  describe: {
    help: help(
      'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
      'Show details of a specific resource or group of resources.',
    ),
    flags: [S('selector', 'l'), B('all-namespaces', 'A'), FILE, B('show-events')],
    discovery: true,
    run: runDescribe,
  },
  create: {
    help: help('kubectl create -f FILENAME [options]', 'Create a resource from a file or from stdin.'),
    flags: [FILE, OUTPUT, DRY, B('save-config'), S('validate')],
    discovery: true,
    run: runCreate,
    sub: {
      deployment: {
        help: help(
          'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
          'Create a deployment with the specified name.',
        ),
        flags: [L('image'), I('replicas', 'r'), I('port'), OUTPUT, DRY],
        required: ['image'],
        discovery: true,
        run: runCreateDeployment,
      },
      namespace: {
        help: help(
          'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
          'Create a namespace with the specified name.',
        ),
        flags: [OUTPUT, DRY],
        discovery: true,
        run: runCreateNamespace,
      },
      configmap: {
        help: help(
          'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
          'Create a config map based on a file, directory, or specified literal value.',
        ),
        flags: [L('from-literal'), OUTPUT, DRY],
        discovery: true,
        run: runCreateConfigMap,
      },
    },
  },
  run: {
    help: help(
      'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
      'Create and run a particular image in a pod.',
    ),
    flags: [
      S('image'),
      S('restart'),
      S('labels', 'l'),
      S('port'),
      L('env'),
      B('command'),
      OUTPUT,
      DRY,
      B('rm'),
      B('stdin', 'i'),
      B('tty', 't'),
    ],
    discovery: true,
    required: ['image'],
    run: runRun,
  },
  apply: {
    help: help(
      'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
      'Apply a configuration to a resource by file name or stdin.',
    ),
    flags: [FILE, OUTPUT, DRY, S('validate'), B('server-side'), B('force')],
    discovery: true,
    run: runApply,
  },
  delete: {
    help: help(
      'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
      'Delete resources by file names, stdin, resources and names, or by resources and label selector.',
    ),
    flags: [
      FILE,
      B('all'),
      B('all-namespaces', 'A'),
      S('selector', 'l'),
      S('field-selector'),
      B('force'),
      I('grace-period'),
      B('now'),
      B('wait'),
      B('ignore-not-found'),
      S('cascade'),
      OUTPUT,
      DRY,
    ],
    discovery: true,
    run: runDelete,
  },
  scale: {
    help: help(
      'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
      'Set a new size for a deployment, replica set, replication controller, or stateful set.',
    ),
    required: ['replicas'],
    flags: [I('replicas'), I('current-replicas'), S('selector', 'l'), B('all'), FILE, S('timeout')],
    discovery: true,
    run: runScale,
  },
  label: {
    help: help(
      'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
      'Update the labels on a resource.',
    ),
    flags: [B('overwrite'), B('all'), S('selector', 'l'), OUTPUT, DRY],
    discovery: true,
    run: (k, p) => runLabelOrAnnotate(k, p, 'labels'),
  },
  annotate: {
    help: help(
      'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
      'Update the annotations on one or more resources.',
    ),
    flags: [B('overwrite'), B('all'), S('selector', 'l'), OUTPUT, DRY],
    discovery: true,
    run: (k, p) => runLabelOrAnnotate(k, p, 'annotations'),
  },
  rollout: {
    help: help(
      'kubectl rollout SUBCOMMAND [options]',
      'Manage the rollout of one or many resources.\n\nAvailable Commands:\n  status        Show the status of the rollout',
    ),
    sub: {
      status: {
        help: help(
          'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
          'Show the status of the rollout.',
        ),
        flags: [S('timeout'), B('watch', 'w'), I('revision')],
        discovery: true,
        run: runRolloutStatus,
      },
    },
  },
  logs: {
    help: help(
      'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
      'Print the logs for a container in a pod or specified resource.',
    ),
    flags: [
      S('container', 'c'),
      B('follow', 'f'),
      B('previous', 'p'),
      I('tail'),
      S('since'),
      B('timestamps'),
      B('all-containers'),
      S('selector', 'l'),
    ],
    discovery: true,
    run: runLogs,
  },
  exec: {
    help: help(
      'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
      'Execute a command in a container.',
    ),
    flags: [S('container', 'c'), B('stdin', 'i'), B('tty', 't'), B('quiet', 'q')],
    discovery: true,
    run: runExec,
  },
  version: {
    help: help(
      'kubectl version [flags] [options]',
      'Print the client and server version information for the current context.',
    ),
    flags: [B('client'), OUTPUT, B('short')],
    run: runVersion,
  },
  'cluster-info': {
    help: help(
      'kubectl cluster-info [flags] [options]',
      'Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.',
    ),
    discovery: true,
    run: runClusterInfo,
  },
  wait: {
    help: help(
      "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
      'Experimental: Wait for a specific condition on one or many resources.',
    ),
    flags: [S('for'), S('timeout'), B('all'), B('all-namespaces', 'A'), S('selector', 'l'), FILE],
    discovery: true,
    run: runWait,
  },
  events: {
    help: help(
      'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]',
      'Display events.',
    ),
    flags: [B('all-namespaces', 'A'), S('for'), L('types'), B('no-headers'), B('watch', 'w'), OUTPUT],
    minMinor: 26,
    run: runEvents,
  },
  'api-resources': {
    help: help('kubectl api-resources [flags] [options]', 'Print the supported API resources on the server.'),
    flags: [OUTPUT, S('namespaced'), B('no-headers'), S('api-group'), B('cached')],
    discovery: true,
    run: runApiResources,
  },
  config: {
    help: help(
      'kubectl config SUBCOMMAND [options]',
      'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".\n\nAvailable Commands:\n  current-context   Display the current-context\n  get-contexts      Describe one or many contexts\n  set-context       Set a context entry in kubeconfig\n  use-context       Set the current-context in a kubeconfig file\n  view              Display merged kubeconfig settings or a specified kubeconfig file',
    ),
    sub: {
      view: { flags: [B('raw'), B('minify'), B('flatten'), OUTPUT], run: runConfigView },
      'current-context': { run: runCurrentContext },
      'get-contexts': { flags: [OUTPUT, B('no-headers')], run: runGetContexts },
      'use-context': { run: runUseContext },
      'set-context': {
        flags: [B('current'), S('ctx-cluster'), S('ctx-user')],
        run: runSetContext,
      },
    },
  },
}
