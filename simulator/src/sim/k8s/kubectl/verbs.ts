import type { FlagSpec, Parsed } from './args'
import {
  namesOf,
  runConfigView,
  runCurrentContext,
  runGetContexts,
  runSetContext,
  runUseContext,
} from './config-verbs'
import type { Kube } from './context'
import {
  runCreateConfigMap,
  runCreateCronJob,
  runCreateJob,
  runCreateSecretDockerRegistry,
  runCreateSecretGeneric,
  runCreateSecretTls,
  runCreateServiceAccount,
  type Submit,
  serviceRunner,
} from './generators'
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
  runCreateDeployment,
  runCreateNamespace,
  runDelete,
  runLabelOrAnnotate,
  runRun,
  runScale,
  submitCreate,
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
  /** Other names cobra accepts for this verb (`deploy` for `deployment`). */
  aliases?: string[]
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

/** A create generator run through create's common path. */
const gen =
  (f: (k: Kube, p: Parsed, submit: Submit) => Promise<number>) =>
  (k: Kube, p: Parsed): Promise<number> =>
    f(k, p, submitCreate)

const SOURCES = [L('from-literal'), L('from-file'), L('from-env-file')]

function help(use: string, text: string): string {
  return `${text}\n\nUsage:\n  ${use}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`
}

export const VERBS: Record<string, Verb> = {
  get: {
    help: help(
      'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
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
        aliases: ['deploy'],
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
        aliases: ['ns'],
        help: help(
          'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
          'Create a namespace with the specified name.',
        ),
        flags: [OUTPUT, DRY],
        discovery: true,
        run: runCreateNamespace,
      },
      configmap: {
        aliases: ['cm'],
        help: help(
          'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
          'Create a config map based on a file, directory, or specified literal value.',
        ),
        flags: [...SOURCES, B('append-hash'), OUTPUT, DRY],
        discovery: true,
        run: gen(runCreateConfigMap),
      },
      secret: {
        help: help(
          'kubectl create secret (docker-registry | generic | tls) [options]',
          'Create a secret with specified type.',
        ),
        sub: {
          generic: {
            help: help(
              'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
              'Create a secret based on a file, directory, or specified literal value.',
            ),
            flags: [...SOURCES, S('type'), B('append-hash'), OUTPUT, DRY],
            discovery: true,
            run: gen(runCreateSecretGeneric),
          },
          tls: {
            help: help(
              'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
              'Create a TLS secret from the given public/private key pair.',
            ),
            flags: [S('cert'), S('key'), B('append-hash'), OUTPUT, DRY],
            discovery: true,
            run: gen(runCreateSecretTls),
          },
          'docker-registry': {
            help: help(
              'kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]',
              'Create a new secret for use with Docker registries.',
            ),
            flags: [
              S('docker-server'),
              S('docker-username'),
              S('docker-password'),
              S('docker-email'),
              B('append-hash'),
              OUTPUT,
              DRY,
            ],
            required: ['docker-password', 'docker-username'],
            discovery: true,
            run: gen(runCreateSecretDockerRegistry),
          },
        },
      },
      service: {
        aliases: ['svc'],
        help: help(
          'kubectl create service [flags] [options]',
          'Create a service using a specified subcommand.',
        ),
        sub: {
          clusterip: {
            help: help(
              'kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]',
              'Create a ClusterIP service with the specified name.',
            ),
            flags: [L('tcp'), S('clusterip'), OUTPUT, DRY],
            discovery: true,
            run: gen(serviceRunner('ClusterIP')),
          },
          nodeport: {
            help: help(
              'kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
              'Create a NodePort service with the specified name.',
            ),
            flags: [L('tcp'), I('node-port'), OUTPUT, DRY],
            discovery: true,
            run: gen(serviceRunner('NodePort')),
          },
          loadbalancer: {
            help: help(
              'kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
              'Create a LoadBalancer service with the specified name.',
            ),
            flags: [L('tcp'), OUTPUT, DRY],
            discovery: true,
            run: gen(serviceRunner('LoadBalancer')),
          },
          externalname: {
            help: help(
              'kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]',
              'Create an ExternalName service with the specified name.',
            ),
            flags: [L('tcp'), S('external-name'), OUTPUT, DRY],
            required: ['external-name'],
            discovery: true,
            run: gen(serviceRunner('ExternalName')),
          },
        },
      },
      serviceaccount: {
        aliases: ['sa'],
        help: help(
          'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
          'Create a service account with the specified name.',
        ),
        flags: [OUTPUT, DRY],
        discovery: true,
        run: gen(runCreateServiceAccount),
      },
      job: {
        help: help(
          'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
          'Create a job with the specified name.',
        ),
        flags: [S('image'), S('from'), OUTPUT, DRY],
        discovery: true,
        run: gen(runCreateJob),
      },
      cronjob: {
        aliases: ['cj'],
        help: help(
          "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
          'Create a cron job with the specified name.',
        ),
        flags: [S('image'), S('schedule'), S('restart'), OUTPUT, DRY],
        required: ['schedule'],
        discovery: true,
        run: gen(runCreateCronJob),
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
      view: {
        help: help(
          'kubectl config view [flags] [options]',
          'Display merged kubeconfig settings or a specified kubeconfig file.',
        ),
        flags: [B('raw'), B('minify'), B('flatten'), B('merge'), OUTPUT],
        run: runConfigView,
      },
      'get-clusters': { run: namesOf('clusters') },
      'get-users': { run: namesOf('users') },
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
