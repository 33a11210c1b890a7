#!/usr/bin/env node
// Entry point for `npx ckalab` and `npm start`: runs the TypeScript sources
// directly through tsx so a checkout needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../simulator/src/cli/main.ts')
