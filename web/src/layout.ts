// The attempt page's split between the task and the terminal: a fraction of
// the page (so it scales with the window), one per orientation, kept in this
// browser's storage so the next lab opens the way the learner left it.

export type Orientation = 'wide' | 'narrow'

/** Below this width the task sits above the terminal instead of beside it. */
export const NARROW_BELOW_PX = 1000

export interface SplitPrefs {
  wide: number
  narrow: number
}

export const DEFAULT_SPLIT: SplitPrefs = { wide: 0.36, narrow: 0.34 }

const KEY = 'ckalab.split'

/** The task pane never takes less than this many pixels, the terminal keeps the rest. */
const MIN_TASK_PX = { wide: 240, narrow: 96 }
const MIN_TERMINAL_PX = { wide: 360, narrow: 220 }

export function orientationFor(width: number): Orientation {
  return width < NARROW_BELOW_PX ? 'narrow' : 'wide'
}

/** A fraction that leaves both panes usable in a space of `total` pixels. */
export function clampFraction(fraction: number, total: number, o: Orientation): number {
  if (!Number.isFinite(fraction)) fraction = DEFAULT_SPLIT[o]
  if (total <= 0) return Math.max(0.1, Math.min(0.9, fraction))
  const min = Math.min(0.5, MIN_TASK_PX[o] / total)
  const max = Math.max(min, 1 - MIN_TERMINAL_PX[o] / total)
  return Math.max(min, Math.min(max, fraction))
}

/** The task pane's size in pixels for a fraction, after clamping. */
export function taskPixels(fraction: number, total: number, o: Orientation): number {
  return Math.round(clampFraction(fraction, total, o) * total)
}

/** A keyboard step on the splitter: 5 % of the space each press. */
export function stepFraction(fraction: number, direction: -1 | 1, total: number, o: Orientation): number {
  return clampFraction(fraction + direction * 0.05, total, o)
}

export function parseSplit(text: string | null): SplitPrefs {
  if (!text) return { ...DEFAULT_SPLIT }
  try {
    const v = JSON.parse(text) as Partial<SplitPrefs>
    const ok = (x: unknown): x is number => typeof x === 'number' && x > 0 && x < 1
    return {
      wide: ok(v.wide) ? v.wide : DEFAULT_SPLIT.wide,
      narrow: ok(v.narrow) ? v.narrow : DEFAULT_SPLIT.narrow,
    }
  } catch {
    return { ...DEFAULT_SPLIT }
  }
}

export function loadSplit(): SplitPrefs {
  try {
    return parseSplit(localStorage.getItem(KEY))
  } catch {
    return { ...DEFAULT_SPLIT }
  }
}

export function saveSplit(prefs: SplitPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs))
  } catch {
    /* storage full or disabled: the split is a convenience */
  }
}
