#!/usr/bin/env node
// Captures the golden outputs of test/debian/corpus/tools/ from real tools:
//   host   this machine's Debian 12 (bash -c in /tmp)
//   node   a real kubeadm 1.20 control plane from the kind-node fixture
//          (docker exec CONTAINER bash -c), see /work/shared/fixtures/kind-node-1.20
//   offline the fixture's node image started with --network none (apt as an offline node)
// Usage: node test/debian/capture-tools.mjs CONTAINER IMAGE [case-id ...]
// Each case is one YAML file; ids given on the command line limit the run.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { CASES } from './tools-cases.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const [container, image, ...only] = process.argv.slice(2)
if (!container || !image) {
  console.error('usage: capture-tools.mjs CONTAINER IMAGE [case-id ...]')
  process.exit(2)
}
const debian = spawnSync('cat', ['/etc/debian_version'], { encoding: 'utf8' }).stdout.trim()
const day = new Date().toISOString().slice(0, 10)
for (const c of CASES) {
  if (only.length && !only.includes(c.id)) continue
  const script = [...(c.setup ?? []), c.command].join('\n')
  let r
  let how
  if (c.where === 'host') {
    r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: '/tmp', input: '' })
    how = `bash -c on this machine's Debian ${debian}, ${day}`
  } else if (c.where === 'node') {
    r = spawnSync('docker', ['exec', '-i', container, 'bash', '-c', script], { encoding: 'utf8', input: '' })
    how = `docker exec bash -c on the kind-node fixture's Debian 12 node (kubeadm 1.20.2 control plane, etcd 3.4.23), ${day}`
  } else {
    r = spawnSync(
      'docker',
      ['run', '--rm', '-i', '--network', 'none', '--entrypoint', 'bash', image, '-c', script],
      {
        encoding: 'utf8',
        input: '',
      },
    )
    how = `docker run --network none of the kind-node fixture's Debian 12 image (an offline node), bash -c, ${day}`
  }
  const doc = {
    command: c.command,
    ...(c.setup ? { setup: c.setup } : {}),
    profile: c.profile ?? '1.20',
    stdout: r.stdout,
    stderr: r.stderr,
    exitCode: r.status,
    captured: how,
    ...(c.normalize?.length ? { normalize: c.normalize } : {}),
  }
  writeFileSync(
    join(here, 'corpus/tools', `${c.id}.yaml`),
    YAML.stringify(doc, { lineWidth: 0, blockQuote: 'literal' }),
  )
  console.log(`${c.id}: exit ${r.status}`)
}
