import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { Pager } from './pager'
import { interactiveTty, runScreen } from './screen'

// man: short pages for the tools that matter on this node, written for
// ckalab in the man layout; Debian's own answer for everything else (the
// Kubernetes and etcd binaries ship no manual pages).

interface Page {
  section: string
  title: string
  name: string
  synopsis: string
  description: string[]
  options?: Array<[string, string]>
}

const PAGES: Record<string, Page> = {
  df: {
    section: '1',
    title: 'User Commands',
    name: 'df - report file system space usage',
    synopsis: 'df [OPTION]... [FILE]...',
    description: ['Show how much space each mounted file system has, or the one that holds each FILE.'],
    options: [
      ['-h, --human-readable', 'print sizes in powers of 1024 (e.g., 1023M)'],
      ['-i, --inodes', 'list inode information instead of block usage'],
      ['-T, --print-type', 'print file system type'],
    ],
  },
  free: {
    section: '1',
    title: 'User Commands',
    name: 'free - Display amount of free and used memory in the system',
    synopsis: 'free [options]',
    description: [
      'Show the total amount of free and used physical and swap memory, and the buffers and caches used by the kernel.',
    ],
    options: [
      ['-m, --mebi', 'Display the amount of memory in mebibytes.'],
      ['-h, --human', 'Show all output fields automatically scaled to shortest three digit unit.'],
    ],
  },
  ps: {
    section: '1',
    title: 'User Commands',
    name: 'ps - report a snapshot of the current processes.',
    synopsis: 'ps [options]',
    description: ['Display information about a selection of the active processes.'],
    options: [
      ['-e', 'Select all processes.'],
      ['-f', 'Do full-format listing.'],
      ['aux', 'BSD syntax: every process with its user, CPU and memory use.'],
    ],
  },
  ss: {
    section: '8',
    title: "System Manager's Manual",
    name: 'ss - another utility to investigate sockets',
    synopsis: 'ss [options] [ FILTER ]',
    description: ['Dump socket statistics: which process listens on which port.'],
    options: [
      ['-t, --tcp', 'Display TCP sockets.'],
      ['-l, --listening', 'Display only listening sockets.'],
      ['-n, --numeric', 'Do not try to resolve service names.'],
      ['-p, --processes', 'Show process using socket.'],
    ],
  },
  top: {
    section: '1',
    title: 'User Commands',
    name: 'top - display Linux processes',
    synopsis: 'top -hv|-bcEeHiOSs1 -d secs -n max -u|U user -p pids -o field -w [cols]',
    description: ['A dynamic real-time view of a running system. Press q to quit.'],
    options: [
      ['-b', 'Batch mode: send output to other programs or to a file.'],
      ['-n', 'Number of iterations before ending.'],
    ],
  },
  less: {
    section: '1',
    title: 'General Commands Manual',
    name: 'less - opposite of more',
    synopsis: 'less [options] [file]...',
    description: [
      'Page through a file: SPACE forward, b backward, /pattern to search, n next match, q to quit.',
    ],
  },
  watch: {
    section: '1',
    title: 'User Commands',
    name: 'watch - execute a program periodically, showing output fullscreen',
    synopsis: 'watch [option ...] command',
    description: ['Run command repeatedly, displaying its output (the first screenfull). Ctrl-C leaves.'],
    options: [
      ['-n, --interval seconds', 'Specify update interval.'],
      ['-t, --no-title', 'Turn off the header.'],
    ],
  },
  curl: {
    section: '1',
    title: 'curl Manual',
    name: 'curl - transfer a URL',
    synopsis: 'curl [options / URLs]',
    description: ['A tool for transferring data from or to a server.'],
    options: [
      ['-k, --insecure', 'Proceed without verifying the server certificate.'],
      ['--cacert <file>', 'CA certificate to verify peer against.'],
      ['--cert <certificate>', 'Client certificate file.'],
      ['--key <key>', 'Private key file name.'],
      ['-s, --silent', 'Silent or quiet mode.'],
    ],
  },
  openssl: {
    section: '1SSL',
    title: 'OpenSSL',
    name: 'openssl - OpenSSL command line program',
    synopsis: 'openssl command [ options ... ] [ parameters ... ]',
    description: [
      'Use the OpenSSL library from the shell: openssl x509 -in FILE -noout -text shows a certificate.',
    ],
  },
  systemctl: {
    section: '1',
    title: 'systemctl',
    name: 'systemctl - Control the systemd system and service manager',
    synopsis: 'systemctl [OPTIONS...] COMMAND [UNIT...]',
    description: [
      'Introspect and control the state of the systemd system and service manager, e.g. systemctl restart kubelet.',
    ],
  },
  journalctl: {
    section: '1',
    title: 'journalctl',
    name: 'journalctl - Print log entries from the systemd journal',
    synopsis: 'journalctl [OPTIONS...] [MATCHES...]',
    description: ['Print the journal, e.g. journalctl -u kubelet -f.'],
  },
  uname: {
    section: '1',
    title: 'User Commands',
    name: 'uname - print system information',
    synopsis: 'uname [OPTION]...',
    description: ['Print certain system information. With no OPTION, same as -s.'],
    options: [
      ['-a, --all', 'print all information'],
      ['-r, --kernel-release', 'print the kernel release'],
      ['-n, --nodename', 'print the network node hostname'],
    ],
  },
  man: {
    section: '1',
    title: 'Manual pager utils',
    name: 'man - an interface to the system reference manuals',
    synopsis: 'man [man options] page ...',
    description: ['Show the manual page of a program.'],
  },
}

function render(cmd: string, p: Page, cols: number): string {
  const tag = `${cmd.toUpperCase()}(${p.section})`
  const gap = Math.max(1, Math.floor((cols - tag.length * 2 - p.title.length) / 2))
  const head = `${tag}${' '.repeat(gap)}${p.title}${' '.repeat(Math.max(1, cols - tag.length * 2 - p.title.length - gap))}${tag}`
  let out = `${head}\n\nNAME\n       ${p.name}\n\nSYNOPSIS\n       ${p.synopsis}\n\nDESCRIPTION\n${p.description.map((d) => `       ${d}\n`).join('')}`
  if (p.options?.length)
    out += `\nOPTIONS\n${p.options.map(([o, d]) => `       ${o}\n              ${d}\n\n`).join('')}`
  else out += '\n'
  out += `ckalab${' '.repeat(Math.max(1, cols - 6 - tag.length))}${tag}\n`
  return out
}

async function man(ctx: SimCommandContext): Promise<CommandResult> {
  const names = ctx.args.filter((a) => !a.startsWith('-') && !/^\d\w*$/.test(a))
  if (names.length === 0)
    return { stdout: '', stderr: "What manual page do you want?\nFor example, try 'man man'.\n", exitCode: 1 }
  const tty = interactiveTty(ctx)
  const cols = tty?.size.cols ?? 80
  let text = ''
  let err = ''
  for (const n of names) {
    const p = PAGES[n]
    if (p) text += render(n, p, cols)
    else err += `No manual entry for ${n}\n`
  }
  if (!text) return { stdout: '', stderr: err, exitCode: 16 }
  if (!tty) return { stdout: text, stderr: err, exitCode: err ? 16 : 0 }
  const pager = new Pager(
    [
      {
        name: `Manual page ${names[0]}(${PAGES[names[0] as string]?.section ?? '1'})`,
        lines: text.replace(/\n$/, '').split('\n'),
      },
    ],
    'less',
  )
  const r = await runScreen(ctx, tty, { render: (s) => pager.render(s), keys: (k, s) => pager.keys(k, s) })
  return { ...r, stderr: err, exitCode: err ? 16 : r.exitCode }
}

export const manCommands: SimCommand[] = [{ name: 'man', run: man }]
