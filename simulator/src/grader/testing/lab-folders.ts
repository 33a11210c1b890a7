import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Small lab folders written to a temp dir, for the loader's and `ckalab labs lint`'s tests.

export const CHECKS = `export const checks = [
  { id: 'one', title: 'one', points: 5, run: async () => ({ verdict: 'pass', expected: '', actual: '' }) },
]
`
export const LAB = (id: string) => `id: ${id}
title: A small lab
summary: Does one thing.
difficulty: easy
minutes: 5
tags: [cka-2024]
cluster: { controlPlanes: 1, kubernetes: '1.34' }
tasks:
  - id: t
    title: Task
    text: Do it.
    checks: [one]
solution: solution.sh
`

export async function labsDir(labs: Record<string, Record<string, string>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ckalab-labs-'))
  for (const [name, files] of Object.entries(labs)) {
    await mkdir(join(root, name), { recursive: true })
    for (const [f, text] of Object.entries(files)) await writeFile(join(root, name, f), text)
  }
  return root
}
