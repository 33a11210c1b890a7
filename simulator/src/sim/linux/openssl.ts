import { type CommandResult, resolvePath, type SimCommand, type SimCommandContext } from '../commands/types'
import type { CertInfo } from '../pki'
import { certDetails, certText, opensslTime, sanText } from './certs'
import { endpointAt } from './http'

// openssl 3.0 (Debian 12) for what learners do with the kubeadm PKI: read a
// certificate (x509), check it against a CA (verify) and look at what a port
// serves (s_client).

const TID = '40C7A1E6D47F0000'
const VERSION = 'OpenSSL 3.0.20 7 Apr 2026 (Library: OpenSSL 3.0.20 7 Apr 2026)'

async function load(
  ctx: SimCommandContext,
  path: string | undefined,
): Promise<{ pem?: string; err?: string }> {
  if (path === undefined) {
    if (!ctx.stdin) return { err: 'Could not read certificate from <stdin>\nUnable to load certificate\n' }
    return { pem: ctx.stdin }
  }
  try {
    return { pem: await ctx.fs.readFile(resolvePath(ctx, path)) }
  } catch {
    return {
      err: `Could not open file or uri for loading certificate from ${path}\n${TID}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n${TID}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat(${path})\nUnable to load certificate\n`,
    }
  }
}

function notACert(path: string): string {
  return `Could not read certificate from ${path}\n${TID}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:\nUnable to load certificate\n`
}

const EXT_NAMES: Record<string, string> = {
  subjectAltName: 'X509v3 Subject Alternative Name',
  keyUsage: 'X509v3 Key Usage',
  extendedKeyUsage: 'X509v3 Extended Key Usage',
  basicConstraints: 'X509v3 Basic Constraints',
  subjectKeyIdentifier: 'X509v3 Subject Key Identifier',
  authorityKeyIdentifier: 'X509v3 Authority Key Identifier',
}

async function x509(ctx: SimCommandContext, args: string[]): Promise<CommandResult> {
  let input: string | undefined
  let noout = false
  const prints: Array<{ what: string; arg?: string }> = []
  for (let i = 0; i < args.length; i++) {
    const a = (args[i] as string).replace(/^--/, '-')
    if (a === '-in') input = args[++i]
    else if (a === '-noout') noout = true
    else if (a === '-ext' || a === '-checkend') prints.push({ what: a, arg: args[++i] })
    else if (a === '-inform' || a === '-outform') i++
    else if (
      [
        '-text',
        '-subject',
        '-issuer',
        '-dates',
        '-startdate',
        '-enddate',
        '-serial',
        '-fingerprint',
        '-pubkey',
        '-sha1',
        '-sha256',
        '-nameopt',
      ].includes(a)
    ) {
      if (a === '-nameopt') i++
      else if (a !== '-sha1' && a !== '-sha256') prints.push({ what: a })
    } else
      return {
        stdout: '',
        stderr: `x509: Unknown option or message digest: ${a.slice(1)}\nx509: Use -help for summary.\n${TID}:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported:../crypto/evp/evp_fetch.c:341:Global default library context, Algorithm (${a.slice(1)} : 0), Properties (<null>)\n`,
        exitCode: 1,
      }
  }
  const { pem, err } = await load(ctx, input)
  if (err) return { stdout: '', stderr: err, exitCode: 1 }
  const info = ctx.node.cluster.certs.lookup(pem)
  if (info?.kind !== 'cert' || !pem) return { stdout: '', stderr: notACert(input ?? '<stdin>'), exitCode: 1 }
  const d = await certDetails(ctx.node, info, pem)
  let out = ''
  let code = 0
  for (const p of prints) {
    switch (p.what) {
      case '-text':
        out += certText(d)
        break
      case '-subject':
        out += `subject=${d.subject}\n`
        break
      case '-issuer':
        out += `issuer=${d.issuer}\n`
        break
      case '-dates':
        out += `notBefore=${opensslTime(d.notBefore)}\nnotAfter=${opensslTime(d.notAfter)}\n`
        break
      case '-startdate':
        out += `notBefore=${opensslTime(d.notBefore)}\n`
        break
      case '-enddate':
        out += `notAfter=${opensslTime(d.notAfter)}\n`
        break
      case '-serial': {
        const hex = d.serial.toString(16).toUpperCase()
        out += `serial=${hex.length % 2 ? `0${hex}` : hex}\n`
        break
      }
      case '-fingerprint':
        out += `SHA1 Fingerprint=${d.fingerprint}\n`
        break
      case '-checkend': {
        const secs = Number(p.arg)
        const expires = d.notAfter < ctx.node.cluster.clock.now() + secs * 1000
        out += expires ? 'Certificate will expire\n' : 'Certificate will not expire\n'
        if (expires) code = 1
        break
      }
      case '-ext':
        for (const name of (p.arg ?? '').split(',')) {
          const title = EXT_NAMES[name]
          if (!title) continue
          if (name === 'subjectAltName' && d.sans.length) out += `${title}: \n    ${sanText(d.sans)}\n`
          if (name === 'keyUsage') out += `${title}: critical\n    ${d.keyUsage}\n`
          if (name === 'extendedKeyUsage' && d.extKeyUsage) out += `${title}: \n    ${d.extKeyUsage}\n`
          if (name === 'basicConstraints' && d.info.isCA) out += `${title}: critical\n    CA:TRUE\n`
          if (name === 'subjectKeyIdentifier' && d.info.isCA) out += `${title}: \n    ${d.ski}\n`
          if (name === 'authorityKeyIdentifier' && d.aki) out += `${title}: \n    ${d.aki}\n`
        }
        break
    }
  }
  if (!noout) out += pem.trim().replace(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/, (m) => m) + '\n'
  return { stdout: out, stderr: '', exitCode: code }
}

async function verify(ctx: SimCommandContext, args: string[]): Promise<CommandResult> {
  let caFile: string | undefined
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = (args[i] as string).replace(/^--/, '-')
    if (a === '-CAfile') caFile = args[++i]
    else if (a === '-untrusted' || a === '-CApath') i++
    else if (a.startsWith('-'))
      return {
        stdout: '',
        stderr: `verify: Unknown option: ${a}\nverify: Use -help for summary.\n`,
        exitCode: 1,
      }
    else files.push(a)
  }
  const certs = ctx.node.cluster.certs
  let ca: CertInfo | undefined
  if (caFile !== undefined) {
    const { pem, err } = await load(ctx, caFile)
    if (err)
      return {
        stdout: '',
        stderr: `Error loading file ${caFile}\n${TID}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat(${caFile})\n`,
        exitCode: 2,
      }
    const info = certs.lookup(pem)
    if (info?.kind === 'cert') ca = info
  }
  let out = ''
  let errText = ''
  let code = 0
  for (const f of files) {
    const { pem, err } = await load(ctx, f)
    const info = pem ? certs.lookup(pem) : undefined
    if (err || info?.kind !== 'cert') {
      errText += `Could not open file or uri for loading certificate from ${f}\n`
      code = 2
      continue
    }
    const trusted = ca?.isCA && (ca.id === info.issuer || ca.id === info.id)
    if (trusted) out += `${f}: OK\n`
    else {
      const d = await certDetails(ctx.node, info, pem as string)
      const self = info.issuer === info.id
      errText += self
        ? `${d.subject}\nerror 18 at 0 depth lookup: self-signed certificate\nerror ${f}: verification failed\n`
        : `${d.subject}\nerror 20 at 0 depth lookup: unable to get local issuer certificate\nerror ${f}: verification failed\n`
      code = 2
    }
  }
  return { stdout: out, stderr: errText, exitCode: code, shown: errText + out }
}

async function sClient(ctx: SimCommandContext, args: string[]): Promise<CommandResult> {
  let connect = 'localhost:4433'
  for (let i = 0; i < args.length; i++) {
    const a = (args[i] as string).replace(/^--/, '-')
    if (a === '-connect') connect = args[++i] ?? connect
    else if (['-CAfile', '-cert', '-key', '-servername', '-verify'].includes(a)) i++
  }
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(connect)
  const host = m?.[1] ?? connect
  const port = Number(m?.[2] ?? 443)
  const node = ctx.node.cluster.nodeByAddress(ctx.node, host)
  const ep = node ? endpointAt(ctx.node, host, port) : undefined
  if (!node)
    return {
      stdout: '',
      stderr: `${TID}:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:738:Name or service not known\nconnect:errno=0\n`,
      exitCode: 1,
    }
  if (!ep)
    return {
      stdout: '',
      stderr: `${TID}:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:117:calling connect()\n${TID}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\nconnect:errno=111\n`,
      exitCode: 1,
    }
  if (!ep.tls)
    return {
      stdout:
        'CONNECTED(00000003)\n---\nno peer certificate available\n---\nNo client certificate CA names sent\n---\nSSL handshake has read 5 bytes and written 299 bytes\nVerification: OK\n---\nNew, (NONE), Cipher is (NONE)\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\nVerify return code: 0 (ok)\n---\n',
      stderr: `${TID}:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:\n`,
      exitCode: 1,
    }
  const serverPem =
    ep.serverCert ?? (ep.serverCertPath ? await ep.node.readText(ep.serverCertPath) : undefined)
  const info = ctx.node.cluster.certs.lookup(serverPem)
  let out = 'CONNECTED(00000003)\n'
  let err = ''
  if (info?.kind === 'cert' && serverPem) {
    const d = await certDetails(ctx.node, info, serverPem)
    err += `depth=0 ${d.subject}\nverify error:num=20:unable to get local issuer certificate\nverify return:1\ndepth=0 ${d.subject}\nverify error:num=21:unable to verify the first certificate\nverify return:1\n`
    out += `---\nCertificate chain\n 0 s:${d.subject}\n   i:${d.issuer}\n   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   v:NotBefore: ${opensslTime(d.notBefore)}; NotAfter: ${opensslTime(d.notAfter)}\n---\nServer certificate\n${serverPem.trim()}\nsubject=${d.subject}\nissuer=${d.issuer}\n---\n`
    if (ep.requireClientCert && ep.clientCA) {
      const ca = ctx.node.cluster.certs.lookup(ep.clientCA)
      out += `Acceptable client certificate CA names\nCN = ${ca?.kind === 'cert' ? ca.commonName : 'etcd-ca'}\n`
    } else out += 'No client certificate CA names sent\n'
    out +=
      'Peer signing digest: SHA256\nPeer signature type: RSA-PSS\nServer Temp Key: X25519, 253 bits\n---\nSSL handshake has read 1442 bytes and written 389 bytes\nVerification error: unable to verify the first certificate\n---\nNew, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256\nServer public key is 2048 bit\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\nVerify return code: 21 (unable to verify the first certificate)\n---\n'
  } else out += '---\nno peer certificate available\n---\n'
  out += 'DONE\n'
  return { stdout: out, stderr: err, exitCode: 0, shown: err + out }
}

const HELP = `help:

Standard commands
asn1parse         ca                ciphers           cmp               
cms               crl               crl2pkcs7         dgst              
dhparam           dsa               dsaparam          ec                
ecparam           enc               engine            errstr            
fipsinstall       gendsa            genpkey           genrsa            
help              info              kdf               list              
mac               nseq              ocsp              passwd            
pkcs12            pkcs7             pkcs8             pkey              
pkeyparam         pkeyutl           prime             rand              
rehash            req               rsa               rsautl            
s_client          s_server          s_time            sess_id           
smime             speed             spkac             srp               
storeutl          ts                verify            version           
x509              
`

async function openssl(ctx: SimCommandContext): Promise<CommandResult> {
  const [sub, ...rest] = ctx.args
  switch (sub) {
    case undefined:
    case 'help':
      return { stdout: '', stderr: HELP, exitCode: 0 }
    case 'version':
      return { stdout: `${VERSION}\n`, stderr: '', exitCode: 0 }
    case 'x509':
      return x509(ctx, rest)
    case 'verify':
      return verify(ctx, rest)
    case 's_client':
      return sClient(ctx, rest)
    default:
      return { stdout: '', stderr: `Invalid command '${sub}'; type "help" for a list.\n`, exitCode: 1 }
  }
}

export const opensslCommands: SimCommand[] = [{ name: 'openssl', run: openssl }]
