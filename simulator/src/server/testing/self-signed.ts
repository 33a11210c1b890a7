// A self-signed certificate and key for localhost and 127.0.0.1, made with
// openssl, for the suites that serve https (openssl is their prerequisite).

import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/** A self-signed certificate and its key for localhost, made by openssl (a prerequisite of this suite). */
export function selfSigned(dir: string, name: string, days = 2): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  )
  return { cert, key }
}
