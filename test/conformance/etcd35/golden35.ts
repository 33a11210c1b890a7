// Where the etcd 3.5 suite keeps what the real etcd 3.5.16 printed (same
// format as the 3.4 golden, see ../etcd34/golden.ts).

import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const GOLDEN35_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'golden',
  'real-etcd-3.5.16.json',
)
