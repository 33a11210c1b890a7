import type { Normalizer } from './fs-cases'

// What may legitimately differ between a real Debian node and the simulated
// one in the corpus, and nothing else: times, inode numbers, the disk's
// device numbers, file sizes (certificates and manifests differ in length),
// and line order where the real tool's order is not defined.

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const LS_DATE = new RegExp(`\\b${MONTH} [ \\d]\\d (?:\\d\\d:\\d\\d| \\d{4})\\b`, 'g')
const STAT_TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}/g
const LS_LONG = /^([-dlcbps][-rwxsStT]{9}\S*) +(\d+) +(\S+) +(\S+) +(\S+) /

export function normalize(text: string, rules: Normalizer[] = []): string {
  let out = text
  if (rules.includes('times')) out = out.replace(LS_DATE, '<DATE>').replace(STAT_TIME, '<TIME>')
  if (rules.includes('inodes')) out = out.replace(/Inode: \d+\s+/g, 'Inode: <INODE> ')
  if (rules.includes('device')) out = out.replace(/Device: \d+,\d+/g, 'Device: <DEV>')
  if (rules.includes('sizes'))
    out = out
      .split('\n')
      .map((line) =>
        line
          .replace(/^total \S+$/, 'total <N>')
          .replace(LS_LONG, (_m, mode, links, owner, group) => `${mode} ${links} ${owner} ${group} <SIZE> `)
          .replace(/ {2,}/g, ' '),
      )
      .join('\n')
  if (rules.includes('sorted')) out = out.split('\n').filter(Boolean).sort().join('\n')
  return out
}
