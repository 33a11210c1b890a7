// The kubectl conformance cases: everything kubectl prints on its own side
// (no apiserver state involved), run on the real kubectl and on the
// simulator's kubectl with the same kubeadm admin.conf in ~/.kube/config and
// the same working directory (HOME). `files` are written into HOME first.

import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface RawOutput {
  stdout: string
  stderr: string
  exitCode: number
}

export interface KubectlCase {
  id: string
  args: string[]
  /** Text of ~/.kube/config; 'none' for no file; the fixture admin.conf when absent. */
  kubeconfig?: string
  files?: Record<string, string>
  /** `~` in a value is HOME. */
  env?: Record<string, string>
  stdin?: string
  /** Compare only the help's first paragraph and its Usage section (see normalize.ts). */
  helpExcerpt?: boolean
  /** The apiserver holds the objects of test/kubectl/fixtures.ts (client-side printing of server objects). */
  seeded?: boolean
}

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')

const APP_CONF = 'listen 8080\nworkers 4\n'
const APP_ENV = '# settings\nMODE=prod\nLEVEL=debug\n'
const DEPLOY_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`
const SECOND_CONF = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://10.0.0.9:6443
  name: staging
contexts:
- context:
    cluster: staging
    namespace: team-a
    user: dev
  name: dev@staging
current-context: ""
users:
- name: dev
  user:
    token: abc123
`

const c = (id: string, line: string, extra: Partial<KubectlCase> = {}): KubectlCase => ({
  id,
  args: splitLine(line),
  ...extra,
})

/** Splits a case line like a shell: spaces separate words, '…' quotes anywhere in a word (no escapes). */
export function splitLine(line: string): string[] {
  const out: string[] = []
  let word = ''
  let inWord = false
  let quoted = false
  for (const ch of line) {
    if (quoted) {
      if (ch === "'") quoted = false
      else word += ch
    } else if (ch === "'") {
      quoted = true
      inWord = true
    } else if (ch === ' ') {
      if (inWord) out.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (inWord) out.push(word)
  return out
}

export const SCRIPT: KubectlCase[] = [
  // version, client side only
  c('version-client', 'version --client'),
  c('version-client-json', 'version --client -o json'),
  c('version-client-yaml', 'version --client -o yaml'),
  c('version-client-output-json', 'version --client --output=json'),
  c('version-client-bad-output', 'version --client -o wide'),
  c('version-client-short', 'version --client --short'),
  c('version-client-o-missing', 'version --client -o'),

  // create deployment
  c('create-deploy-yaml', 'create deployment web --image=nginx --dry-run=client -o yaml'),
  c(
    'create-deploy-json-replicas-port',
    'create deployment web --image=nginx:1.27 --replicas=3 --port=80 --dry-run=client -o json',
  ),
  c('create-deploy-two-images', 'create deployment web --image=nginx --image=redis --dry-run=client -o yaml'),
  c('create-deploy-namespace', 'create deployment web --image=nginx -n prod --dry-run=client -o yaml'),
  c('create-deploy-command', 'create deployment web --image=busybox --dry-run=client -o yaml -- sleep 3600'),
  c('create-deploy-no-image', 'create deployment web --dry-run=client -o yaml'),
  c('create-deploy-no-name', 'create deployment --image=nginx --dry-run=client'),
  c('create-deploy-two-names', 'create deployment a b --image=nginx --dry-run=client'),
  c('create-deploy-plain', 'create deployment web --image=nginx --dry-run=client'),
  c('create-deploy-name', 'create deployment web --image=nginx --dry-run=client -o name'),
  c('create-deploy-bad-dry-run', 'create deployment web --image=nginx --dry-run=bogus'),
  c('create-deploy-bad-replicas', 'create deployment web --image=nginx --replicas=abc --dry-run=client'),
  c('create-deploy-bad-output', 'create deployment web --image=nginx --dry-run=client -o table'),
  c('create-deploy-shortname', 'create deploy web --image=nginx --dry-run=client -o yaml'),

  // configmap
  c('create-cm-literal', 'create configmap app --from-literal=a=b --dry-run=client -o yaml'),
  c(
    'create-cm-two-literals-ns-json',
    'create configmap app --from-literal=a=b --from-literal=c=d -n kube-system --dry-run=client -o json',
  ),
  c('create-cm-bad-literal', 'create configmap app --from-literal=ab --dry-run=client -o yaml'),
  c('create-cm-from-file', 'create configmap app --from-file=app.conf --dry-run=client -o yaml', {
    files: { 'app.conf': APP_CONF },
  }),
  c('create-cm-from-file-key', 'create configmap app --from-file=main=app.conf --dry-run=client -o yaml', {
    files: { 'app.conf': APP_CONF },
  }),
  c('create-cm-from-missing-file', 'create configmap app --from-file=missing.conf --dry-run=client -o yaml'),
  c('create-cm-from-env-file', 'create configmap app --from-env-file=app.env --dry-run=client -o yaml', {
    files: { 'app.env': APP_ENV },
  }),
  c('create-cm-shortname', 'create cm app --from-literal=a=b --dry-run=client -o yaml'),
  c('create-cm-duplicate-key', 'create configmap app --from-literal=a=b --from-literal=a=c --dry-run=client'),

  // secrets
  c(
    'create-secret-generic-yaml',
    'create secret generic db --from-literal=password=s3cr3t --dry-run=client -o yaml',
  ),
  c('create-secret-generic-json', 'create secret generic db --from-literal=a=b --dry-run=client -o json'),
  c(
    'create-secret-generic-file-type',
    'create secret generic db --from-file=app.conf --type=Opaque --dry-run=client -o yaml',
    {
      files: { 'app.conf': APP_CONF },
    },
  ),
  c('create-secret-tls', 'create secret tls web-tls --cert=tls.crt --key=tls.key --dry-run=client -o yaml', {
    files: { 'tls.crt': fixture('tls.crt'), 'tls.key': fixture('tls.key') },
  }),
  c('create-secret-tls-missing-key', 'create secret tls web-tls --cert=tls.crt --dry-run=client -o yaml', {
    files: { 'tls.crt': fixture('tls.crt') },
  }),
  c(
    'create-secret-docker-registry',
    'create secret docker-registry reg --docker-server=reg.example.com --docker-username=u --docker-password=p --dry-run=client -o yaml',
  ),
  c('create-secret-no-type', 'create secret db --dry-run=client'),
  c('create-secret-generic-no-name', 'create secret generic --from-literal=a=b --dry-run=client'),

  // services
  c('create-svc-clusterip', 'create service clusterip web --tcp=80:8080 --dry-run=client -o yaml'),
  c(
    'create-svc-nodeport',
    'create service nodeport web --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml',
  ),
  c('create-svc-headless', 'create service clusterip web --clusterip=None --dry-run=client -o yaml'),
  c('create-svc-loadbalancer-json', 'create service loadbalancer lb --tcp=443 --dry-run=client -o json'),
  c(
    'create-svc-externalname',
    'create service externalname ext --external-name=example.com --dry-run=client -o yaml',
  ),
  c('create-svc-no-tcp', 'create service clusterip web --dry-run=client -o yaml'),

  // namespace, service account, job, cronjob
  c('create-ns-yaml', 'create namespace team-a --dry-run=client -o yaml'),
  c('create-ns-json-short', 'create ns team-a --dry-run=client -o json'),
  c('create-ns-no-name', 'create namespace --dry-run=client'),
  c('create-ns-plain', 'create namespace team-a --dry-run=client'),
  c('create-sa-yaml', 'create serviceaccount robot --dry-run=client -o yaml'),
  c('create-sa-ns-json', 'create sa robot -n kube-system --dry-run=client -o json'),
  c('create-job-yaml', 'create job backup --image=busybox --dry-run=client -o yaml'),
  c('create-job-command', "create job backup --image=busybox --dry-run=client -o yaml -- sh -c 'echo hi'"),
  c('create-job-no-image', 'create job backup --dry-run=client -o yaml'),
  c(
    'create-cronjob-yaml',
    "create cronjob nightly --image=busybox --schedule='0 2 * * *' --dry-run=client -o yaml",
  ),
  c('create-cronjob-no-schedule', 'create cronjob nightly --image=busybox --dry-run=client -o yaml'),
  c('create-unknown-kind', 'create widget w --dry-run=client'),
  c('create-no-file', 'create --dry-run=client'),
  c('create-file-missing', 'create -f missing.yaml --dry-run=client'),

  // run
  c('run-yaml', 'run web --image=nginx --dry-run=client -o yaml'),
  c('run-never-args', 'run task --image=busybox --restart=Never --dry-run=client -o yaml -- sleep 3600'),
  c('run-command', "run task --image=busybox --command --dry-run=client -o yaml -- sh -c 'sleep 1'"),
  c(
    'run-port-env-labels-json',
    'run web --image=nginx --port=80 --env=A=1 --labels=app=web,tier=fe --dry-run=client -o json',
  ),
  c('run-no-image', 'run web --dry-run=client'),
  c('run-no-name', 'run --image=nginx --dry-run=client'),
  c('run-bad-restart', 'run web --image=nginx --restart=Sometimes --dry-run=client'),
  c('run-plain', 'run web --image=nginx --dry-run=client'),
  c('run-namespace', 'run web --image=nginx -n dev --dry-run=client -o yaml'),

  // config
  c('config-view', 'config view'),
  c('config-view-raw', 'config view --raw'),
  c('config-view-minify', 'config view --minify'),
  c('config-view-json', 'config view -o json'),
  c('config-view-jsonpath-server', "config view --minify -o jsonpath='{.clusters[0].cluster.server}'"),
  c('config-view-jsonpath-users', "config view -o jsonpath='{.users[*].name}'"),
  c('config-view-flatten', 'config view --flatten --minify'),
  c('config-view-missing-kubeconfig', 'config view --kubeconfig=missing.conf'),
  c('config-view-merged', 'config view', {
    files: { 'second.conf': SECOND_CONF },
    env: { KUBECONFIG: '~/.kube/config:~/second.conf' },
  }),
  c('config-view-no-file', 'config view', { kubeconfig: 'none' }),
  c('config-get-contexts', 'config get-contexts'),
  c('config-get-contexts-name', 'config get-contexts -o name'),
  c('config-get-contexts-missing', 'config get-contexts nope'),
  c('config-get-contexts-merged', 'config get-contexts', {
    files: { 'second.conf': SECOND_CONF },
    env: { KUBECONFIG: '~/.kube/config:~/second.conf' },
  }),
  c('config-current-context', 'config current-context'),
  c('config-current-context-unset', 'config current-context', { kubeconfig: SECOND_CONF }),
  c('config-get-clusters', 'config get-clusters'),
  c('config-get-users', 'config get-users'),
  c('config-use-context-missing', 'config use-context nope'),
  c('config-unknown-sub', 'config frobnicate'),

  // flag errors, unknown commands
  c('unknown-flag-get', 'get pods --bogus'),
  c('unknown-flag-root', '--bogus'),
  c('unknown-shorthand', 'create deployment web --image=nginx -z'),
  c('unknown-command', 'foo'),
  c('unknown-command-suggest', 'crate deployment web'),
  c('flag-needs-argument', 'create deployment web --image'),
  c('bad-bool-flag', 'version --client=maybe'),

  // help excerpts: the first paragraph and the Usage section
  c('help-create-deployment', 'create deployment --help', { helpExcerpt: true }),
  c('help-create-configmap', 'create configmap --help', { helpExcerpt: true }),
  c('help-create-secret-generic', 'create secret generic --help', { helpExcerpt: true }),
  c('help-run', 'run --help', { helpExcerpt: true }),
  c('help-config-view', 'config view --help', { helpExcerpt: true }),
  c('help-version', 'version --help', { helpExcerpt: true }),
  c('help-get', 'get --help', { helpExcerpt: true }),

  // client-side printers of objects the apiserver returns (fixtures of test/kubectl/fixtures.ts);
  // -o json is left out: the fake apiserver's key order is not an apiserver's
  c('get-deploy-yaml', 'get deploy web -o yaml', { seeded: true }),
  c('get-ns-yaml', 'get ns -o yaml', { seeded: true }),
  c('get-ns-name', 'get ns -o name', { seeded: true }),
  c('get-deploy-name', 'get deployments -o name', { seeded: true }),
  c('get-pod-jsonpath-metadata', "get pod -n kube-system etcd-controlplane -o 'jsonpath={.metadata}'", {
    seeded: true,
  }),
  c(
    'get-pod-jsonpath-image',
    "get pod -n kube-system etcd-controlplane -o 'jsonpath={.spec.containers[0].image}'",
    {
      seeded: true,
    },
  ),
  c(
    'get-pods-jsonpath-range',
    'get pods -n default -o \'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}\'',
    { seeded: true },
  ),
  c(
    'get-pods-custom-columns',
    "get pods -n default -o 'custom-columns=NAME:.metadata.name,IMG:.spec.containers[*].image,X:.status.foo'",
    { seeded: true },
  ),
  c('get-pod-bad-jsonpath', "get pod -n kube-system etcd-controlplane -o 'jsonpath={.metadata'", {
    seeded: true,
  }),

  // client-side errors
  c('bad-ca-pem', 'create deployment web --image=nginx --dry-run=client -o yaml', {
    kubeconfig: fixture('admin.conf').replace(
      /certificate-authority-data: \S+/,
      'certificate-authority-data: bm90IGEgY2VydGlmaWNhdGUK',
    ),
  }),
  c('kubeconfig-not-yaml', 'config view', { kubeconfig: 'clusters: [unclosed\n' }),
  c('kubeconfig-flag-missing-file', 'get pods --kubeconfig=missing.conf'),
  c('create-from-file-dry-run', 'create -f deploy.yaml --validate=false --dry-run=client -o yaml', {
    files: { 'deploy.yaml': DEPLOY_YAML },
  }),
  c('create-from-stdin-dry-run', 'create -f - --validate=false --dry-run=client', { stdin: DEPLOY_YAML }),
  c('create-from-bad-yaml', 'create -f bad.yaml --dry-run=client', { files: { 'bad.yaml': 'kind: [\n' } }),
  c('create-from-file-no-kind', 'create -f nokind.yaml --dry-run=client', {
    files: { 'nokind.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' },
  }),
]
