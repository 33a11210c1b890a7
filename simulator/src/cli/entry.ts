import { runAndExit } from './main'

// The compiled build's entry (scripts/build-server.mjs): always runs the command line.
await runAndExit()
