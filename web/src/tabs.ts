// The keyboard side of the WAI-ARIA tabs pattern: arrows move between tabs
// (wrapping), Home and End jump to the ends; the tab that gets focus is also
// selected (automatic activation).

export function tabKeyTarget(key: string, index: number, count: number): number | null {
  if (count <= 0) return null
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count
    case 'ArrowLeft':
      return (index - 1 + count) % count
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}
