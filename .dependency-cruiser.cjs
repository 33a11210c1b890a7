// What each folder of simulator/src may import (each folder's README says it in words).
// `npm run check:deps` (scripts/check-deps.mjs) applies these rules and also refuses any
// import cycle between folders. Tests beside the code are left out: they may compose more.

const NODE_ONLY_PACKAGES = [
  'better-sqlite3',
  'ws',
  'dockerode',
  'tsx',
  'commander',
  'tar-stream',
  'esbuild',
  '@kubernetes/client-node',
]
const nodeOnlyPackage = `^node_modules/(${NODE_ONLY_PACKAGES.join('|')})/`

module.exports = {
  forbidden: [
    {
      name: 'sim-browser-safe',
      comment:
        'simulator/src/sim runs in a browser Web Worker too: no Node built-ins and no Node-only packages there; keep them behind the seam (drivers/, server/).',
      severity: 'error',
      from: { path: '^simulator/src/sim/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sim-no-node-only-packages',
      comment: 'simulator/src/sim runs in a browser Web Worker too: keep Node-only packages behind the seam.',
      severity: 'error',
      from: { path: '^simulator/src/sim/' },
      to: { path: nodeOnlyPackage },
    },
    {
      name: 'sim-below-everything',
      comment:
        'simulator/src/sim may import only itself, ../seam and browser-safe packages: the drivers, grader, server and CLI build on it.',
      severity: 'error',
      from: { path: '^simulator/src/sim/' },
      to: { path: '^simulator/src/(server|drivers|grader|cli|host)/' },
    },
    {
      name: 'seam-is-a-leaf',
      comment: 'seam.ts is what every part speaks; it imports nothing of ckalab.',
      severity: 'error',
      from: { path: '^simulator/src/seam\\.ts$' },
      to: { path: '^simulator/src/' },
    },
    {
      name: 'grader-driver-agnostic',
      comment:
        'the grader speaks only the seam: drivers, the server and the CLI are given to it, never imported (labs run unchanged on every driver).',
      severity: 'error',
      from: { path: '^simulator/src/grader/' },
      to: { path: '^simulator/src/(server|drivers|cli|host|sim)/' },
    },
    {
      name: 'drivers-below-the-server',
      comment:
        'drivers implement the seam; the server, grader and CLI choose and use them, not the other way round.',
      severity: 'error',
      from: { path: '^simulator/src/drivers/' },
      to: { path: '^simulator/src/(server|grader|cli|host)/' },
    },
    {
      name: 'host-below-the-server',
      comment: 'host/ runs environments in workers for the server; it knows the seam and the drivers only.',
      severity: 'error',
      from: { path: '^simulator/src/host/' },
      to: { path: '^simulator/src/(server|grader|cli)/' },
    },
    {
      name: 'server-not-the-cli',
      comment: 'the CLI puts the parts together; the server must not reach back into it.',
      severity: 'error',
      from: { path: '^simulator/src/server/' },
      to: { path: '^simulator/src/cli/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.tsx?$|(^|/)dist/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
  },
}
