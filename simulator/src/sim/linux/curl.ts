import { type CommandResult, resolvePath, type SimCommand, type SimCommandContext } from '../commands/types'
import type { CertInfo } from '../pki'
import { endpointAt } from './http'

// curl 7.88.1 as Debian 12 ships it (OpenSSL 3.0): the endpoints of the
// control plane over the simulated network, with curl's exit codes and
// messages for refused connections, unknown hosts, TLS and certificate errors.

const OPENSSL = 'OpenSSL/3.0.20'
const TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n"
const CERT_HELP = `More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.
`

interface CurlOpts {
  urls: string[]
  insecure: boolean
  cacert?: string
  cert?: string
  key?: string
  silent: boolean
  showError: boolean
  output?: string
  writeOut?: string
  fail: boolean
  head: boolean
  includeHeaders: boolean
}

const VALUE_OPTS = new Set([
  '--cacert',
  '--cert',
  '--key',
  '-o',
  '--output',
  '-w',
  '--write-out',
  '-X',
  '--request',
  '-H',
  '--header',
  '-d',
  '--data',
  '--data-raw',
  '--connect-timeout',
  '-m',
  '--max-time',
  '-u',
  '--user',
  '-A',
  '--user-agent',
  '--resolve',
  '-E',
  '--capath',
  '--key-type',
  '--cert-type',
])
const FLAG_OPTS = new Set([
  '-k',
  '--insecure',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-f',
  '--fail',
  '-L',
  '--location',
  '-v',
  '--verbose',
  '-I',
  '--head',
  '-i',
  '--include',
  '-4',
  '-6',
  '--http1.1',
  '--http2',
  '-N',
  '--no-buffer',
  '-g',
  '--globoff',
  '-#',
  '--progress-bar',
])

function parse(args: string[]): CurlOpts | string {
  const o: CurlOpts = {
    urls: [],
    insecure: false,
    silent: false,
    showError: false,
    fail: false,
    head: false,
    includeHeaders: false,
  }
  const set = (name: string, value: string | undefined) => {
    switch (name) {
      case '-k':
      case '--insecure':
        o.insecure = true
        break
      case '-s':
      case '--silent':
        o.silent = true
        break
      case '-S':
      case '--show-error':
        o.showError = true
        break
      case '-f':
      case '--fail':
        o.fail = true
        break
      case '-I':
      case '--head':
        o.head = true
        break
      case '-i':
      case '--include':
        o.includeHeaders = true
        break
      case '--cacert':
        o.cacert = value
        break
      case '-E':
      case '--cert':
        o.cert = value?.replace(/:[^/]*$/, '')
        break
      case '--key':
        o.key = value
        break
      case '-o':
      case '--output':
        o.output = value
        break
      case '-w':
      case '--write-out':
        o.writeOut = value
        break
    }
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq > 0 ? a.slice(0, eq) : a
      if (VALUE_OPTS.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i]
        if (v === undefined) return `curl: option ${name}: requires parameter\n${TRY}`
        set(name, v)
      } else if (FLAG_OPTS.has(a)) set(a, undefined)
      else return `curl: option ${a}: is unknown\n${TRY}`
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      // Short options bundle (-sSk); one taking a value ends the bundle (-o/dev/null).
      for (let j = 1; j < a.length; j++) {
        const flag = `-${a[j]}`
        if (VALUE_OPTS.has(flag)) {
          const rest = a.slice(j + 1)
          const v = rest || args[++i]
          if (v === undefined) return `curl: option ${flag}: requires parameter\n${TRY}`
          set(flag, v)
          break
        }
        if (!FLAG_OPTS.has(flag)) return `curl: option ${a}: is unknown\n${TRY}`
        set(flag, undefined)
      }
      continue
    }
    o.urls.push(a)
  }
  return o
}

interface Outcome {
  code: number
  error?: string
  status?: number
  body?: string
  contentType?: string
  /** Bytes on the wire before the failure, for the progress meter. */
  connected: boolean
  /** curl's own wording adds the certificate help text after the error. */
  certHelp?: boolean
}

async function readText(ctx: SimCommandContext, path: string): Promise<string | undefined> {
  try {
    return await ctx.fs.readFile(resolvePath(ctx, path))
  } catch {
    return undefined
  }
}

async function fetchUrl(
  ctx: SimCommandContext,
  o: CurlOpts,
  raw: string,
): Promise<Outcome & { url: string }> {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?/.exec(raw)
  const scheme = (m?.[1] ?? 'http').toLowerCase()
  const host = (m?.[2] ?? '').replace(/^\[|\]$/g, '')
  const url = `${scheme}://${m?.[2] ?? ''}${m?.[3] ? `:${m[3]}` : ''}${m?.[4] || '/'}${m?.[5] ?? ''}`
  if (!host) return { url, code: 3, error: 'URL using bad/illegal format or missing URL', connected: false }
  if (scheme !== 'http' && scheme !== 'https')
    return {
      url,
      code: 1,
      error: `Protocol "${scheme}" not supported or disabled in libcurl`,
      connected: false,
    }
  const port = m?.[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80
  const path = (m?.[4] || '/') + (m?.[5] ?? '')
  const node = ctx.node.cluster.nodeByAddress(ctx.node, host)
  if (!node) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':'))
      return {
        url,
        code: 7,
        error: `Failed to connect to ${host} port ${port} after 3076 ms: Couldn't connect to server`,
        connected: false,
      }
    return { url, code: 6, error: `Could not resolve host: ${host}`, connected: false }
  }
  const ep = endpointAt(ctx.node, host, port)
  if (!ep)
    return {
      url,
      code: 7,
      error: `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`,
      connected: false,
    }
  if (scheme === 'http' && ep.tls) {
    if (ep.requireClientCert || ep.clientCA)
      return { url, code: 52, error: 'Empty reply from server', connected: true }
    return {
      url,
      code: 0,
      status: 400,
      body: 'Client sent an HTTP request to an HTTPS server.\n',
      contentType: 'text/plain; charset=utf-8',
      connected: true,
    }
  }
  if (scheme === 'https' && !ep.tls)
    return {
      url,
      code: 35,
      error: `${OPENSSL}: error:0A00010B:SSL routines::wrong version number`,
      connected: true,
    }
  let client: CertInfo | undefined
  if (scheme === 'https') {
    const certs = ctx.node.cluster.certs
    if (o.cacert !== undefined) {
      const ca = await readText(ctx, o.cacert)
      if (ca === undefined)
        return { url, code: 77, error: `error setting certificate file: ${o.cacert}`, connected: true }
    }
    if (o.cert !== undefined) {
      const pem = await readText(ctx, o.cert)
      const info = certs.lookup(pem)
      if (pem === undefined || info?.kind !== 'cert') {
        const why =
          pem === undefined
            ? 'error:80000002:system library::No such file or directory'
            : 'error:0480006C:PEM routines::no start line'
        return {
          url,
          code: 58,
          error: `could not load PEM client certificate from ${o.cert}, OpenSSL error ${why}, (no key found, wrong pass phrase, or wrong file format?)`,
          connected: true,
        }
      }
      const keyPath = o.key ?? o.cert
      const key = certs.lookup(await readText(ctx, keyPath))
      if (key?.kind !== 'key' || key.keyId !== info.keyId)
        return {
          url,
          code: 58,
          error: `unable to set private key file: '${keyPath}' type PEM`,
          connected: true,
        }
      client = info
    }
    if (!o.insecure) {
      if (ep.selfSigned)
        return {
          url,
          code: 60,
          error: `SSL certificate problem: ${ep.selfSigned === 'chain' ? 'self-signed certificate in certificate chain' : 'self-signed certificate'}`,
          connected: true,
          certHelp: true,
        }
      const serverPem =
        ep.serverCert ?? (ep.serverCertPath ? await ep.node.readText(ep.serverCertPath) : undefined)
      const server = certs.lookup(serverPem)
      const ca = o.cacert !== undefined ? certs.lookup(await readText(ctx, o.cacert)) : undefined
      if (server?.kind !== 'cert' || ca?.kind !== 'cert' || !ca.isCA || ca.id !== server.issuer)
        return {
          url,
          code: 60,
          error: 'SSL certificate problem: unable to get local issuer certificate',
          connected: true,
          certHelp: true,
        }
      const name = host === 'localhost' ? 'localhost' : host
      if (!server.sans.includes(name))
        return {
          url,
          code: 60,
          error: `SSL: no alternative certificate subject name matches target host name '${host}'`,
          connected: true,
          certHelp: true,
        }
    }
    if (ep.requireClientCert) {
      const trusted = certs.lookup(ep.clientCA)
      if (
        !client ||
        trusted?.kind !== 'cert' ||
        client.issuer !== trusted.id ||
        !client.usages.includes('client')
      )
        return {
          url,
          code: 56,
          error: `OpenSSL SSL_read: ${OPENSSL}: error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0`,
          connected: true,
        }
    }
  }
  const r = await ep.handle(path, client)
  if (r.empty) return { url, code: 52, error: 'Empty reply from server', connected: true }
  return { url, code: 0, status: r.status, body: r.body, contentType: r.contentType, connected: true }
}

function reason(status: number): string {
  return (
    {
      200: 'OK',
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      500: 'Internal Server Error',
      503: 'Service Unavailable',
    }[status] ?? ''
  )
}

function writeOut(fmt: string, r: Outcome & { url: string }, size: number): string {
  return fmt
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r')
    .replace(/%\{(\w+)\}/g, (all, name: string) => {
      switch (name) {
        case 'http_code':
        case 'response_code':
          return String(r.status ?? 0).padStart(3, '0')
        case 'exitcode':
          return String(r.code)
        case 'url_effective':
        case 'url':
          return r.url
        case 'size_download':
          return String(size)
        case 'content_type':
          return r.contentType ?? ''
        case 'errormsg':
          return r.error ?? ''
        case 'time_total':
        case 'time_connect':
        case 'time_starttransfer':
          return '0.004512'
        default:
          return all
      }
    })
}

const METER_HEAD =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n'
const METER_ZERO = '  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0'

function meter(bytes: number): string {
  const n = String(bytes).padStart(5)
  return `\r100 ${n}  100 ${n}    0     0  41000      0 --:--:-- --:--:-- --:--:-- 42000`
}

async function curl(ctx: SimCommandContext): Promise<CommandResult> {
  const o = parse(ctx.args)
  if (typeof o === 'string') return { stdout: '', stderr: o, exitCode: 2 }
  if (o.urls.length === 0) return { stdout: '', stderr: TRY, exitCode: 2 }
  const toTerminal = !o.output && ctx.tty !== undefined && ctx.stdoutIsTerminal !== false
  const showMeter = !o.silent && !toTerminal
  const showErrors = !o.silent || o.showError
  let stdout = ''
  let stderr = ''
  let shown = ''
  let code = 0
  for (const raw of o.urls) {
    const r = await fetchUrl(ctx, o, raw)
    let body = r.body ?? ''
    let failed = r.code
    if (!failed && o.fail && (r.status ?? 0) >= 400) {
      failed = 22
      r.code = 22
      r.error = `The requested URL returned error: ${r.status}`
      body = ''
    }
    if (o.head && !failed)
      body = `HTTP/1.1 ${r.status} ${reason(r.status ?? 0)}\r\ncontent-type: ${r.contentType}\r\ncontent-length: ${(r.body ?? '').length}\r\n\r\n`
    else if (o.includeHeaders && !failed)
      body = `HTTP/1.1 ${r.status} ${reason(r.status ?? 0)}\r\ncontent-type: ${r.contentType}\r\ncontent-length: ${body.length}\r\n\r\n${body}`
    let meterText = ''
    if (showMeter) {
      meterText = METER_HEAD + (failed ? `\r${METER_ZERO}` : `\r${METER_ZERO}${meter(body.length)}\n`)
      if (failed && r.connected)
        meterText += `\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n`
    }
    stderr += meterText
    shown += meterText
    if (!failed) {
      if (o.output && o.output !== '/dev/null') {
        try {
          await ctx.fs.writeFile(resolvePath(ctx, o.output), body)
        } catch {
          const msg = `curl: (23) Failure writing output to destination\n`
          stderr += msg
          shown += msg
          code = 23
          continue
        }
      } else if (!o.output) {
        stdout += body
        shown += body
      }
    } else if (showErrors) {
      const msg = `curl: (${r.code}) ${r.error}\n${r.certHelp ? CERT_HELP : ''}`
      stderr += msg
      shown += msg
    }
    if (o.writeOut !== undefined) {
      const w = writeOut(o.writeOut, r, failed ? 0 : body.length)
      stdout += w
      shown += w
    }
    if (failed) code = failed
  }
  return { stdout, stderr, exitCode: code, shown }
}

export const curlCommands: SimCommand[] = [{ name: 'curl', run: curl }]
