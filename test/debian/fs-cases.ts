// The cases of the file-tools corpus (test/debian/corpus/fs/*.yaml) before
// capture: what to run, where the real output comes from, and what may
// legitimately differ. capture-fs.ts runs each on a real Debian 12 system and
// writes the YAML; fs-corpus.test.ts replays the YAML on the simulator.

export type Target = 'chroot' | 'kind-node'
export type Normalizer = 'times' | 'inodes' | 'sizes' | 'device' | 'sorted'

export interface FsCase {
  id: string
  target: Target
  /** Shell lines run first (their output is not compared). */
  setup?: string[]
  command: string
  normalize?: Normalizer[]
  /** Kubernetes profile of the simulated node (the kind-node fixture is 1.20). */
  profile?: '1.20' | '1.31' | '1.34'
}

const T: Normalizer[] = ['times']
const TI: Normalizer[] = ['times', 'inodes', 'device']

/** A private directory per case under /tmp, with files of known sizes and modes. */
const tree = (d: string) => [
  `rm -rf ${d}`,
  `mkdir -p ${d}/sub`,
  `printf 'key material\\n' > ${d}/server.key`,
  `chmod 600 ${d}/server.key`,
  `printf 'certificate\\n' > ${d}/server.crt`,
  `printf '%05000d' 0 > ${d}/big.db`,
  `ln -s server.crt ${d}/current.crt`,
]

export const FS_CASES: FsCase[] = [
  // ls
  { id: 'ls-missing', target: 'chroot', command: 'ls /nonexistent' },
  {
    id: 'ls-missing-and-present',
    target: 'chroot',
    setup: tree('/tmp/lsmp'),
    command: 'ls /tmp/lsmp/nope /tmp/lsmp/server.crt',
  },
  { id: 'ls-plain-one-per-line', target: 'chroot', setup: tree('/tmp/lsp'), command: 'ls /tmp/lsp' },
  {
    id: 'ls-sorted-operands',
    target: 'chroot',
    setup: tree('/tmp/lss'),
    command: 'cd /tmp/lss && ls sub server.key big.db current.crt',
  },
  { id: 'ls-long', target: 'chroot', setup: tree('/tmp/lsl'), command: 'ls -l /tmp/lsl', normalize: T },
  {
    id: 'ls-long-all',
    target: 'chroot',
    setup: ['rm -rf /tmp/lsla', 'mkdir -p /tmp/lsla/d/sub', "printf 'x\\n' > /tmp/lsla/d/f"],
    command: 'ls -la /tmp/lsla/d',
    normalize: T,
  },
  {
    id: 'ls-long-human',
    target: 'chroot',
    setup: tree('/tmp/lsh'),
    command: 'ls -lh /tmp/lsh',
    normalize: T,
  },
  {
    id: 'ls-directory-itself',
    target: 'chroot',
    setup: [...tree('/tmp/lsd'), 'chmod 700 /tmp/lsd/sub'],
    command: 'ls -ld /tmp/lsd/sub',
    normalize: T,
  },
  { id: 'stat-root-home', target: 'chroot', command: "stat -c '%A %U %G %n' /root /tmp" },
  {
    id: 'ls-recursive',
    target: 'chroot',
    setup: [...tree('/tmp/lsr'), "printf 'a\\n' > /tmp/lsr/sub/inner"],
    command: 'ls -R /tmp/lsr',
  },
  {
    id: 'ls-one-per-line-flag',
    target: 'chroot',
    setup: tree('/tmp/ls1'),
    command: 'ls -1 /tmp/ls1/sub /tmp/ls1',
  },
  { id: 'ls-classify', target: 'chroot', setup: tree('/tmp/lsf'), command: 'ls -F /tmp/lsf' },
  {
    id: 'ls-numeric-after-chown',
    target: 'chroot',
    setup: [...tree('/tmp/lsn'), 'chown nobody:nogroup /tmp/lsn/server.key'],
    command: 'ls -ln /tmp/lsn/server.key',
    normalize: T,
  },
  {
    id: 'ls-long-after-chown',
    target: 'chroot',
    setup: [...tree('/tmp/lso'), 'chown -R nobody:nogroup /tmp/lso/sub'],
    command: 'ls -l /tmp/lso',
    normalize: T,
  },
  {
    id: 'ls-almost-all',
    target: 'chroot',
    setup: [...tree('/tmp/lsA'), 'touch /tmp/lsA/.hidden'],
    command: 'ls -A /tmp/lsA',
  },
  { id: 'ls-size-sort-reverse', target: 'chroot', setup: tree('/tmp/lsS'), command: 'ls -Sr /tmp/lsS' },
  {
    id: 'ls-symlink-long',
    target: 'chroot',
    setup: tree('/tmp/lsk'),
    command: 'ls -l /tmp/lsk/current.crt',
    normalize: T,
  },
  {
    id: 'ls-dirs-with-headers',
    target: 'chroot',
    setup: [...tree('/tmp/lsdh'), 'mkdir -p /tmp/lsdh/a'],
    command: 'ls -d /tmp/lsdh/sub /tmp/lsdh/a && ls /tmp/lsdh/sub /tmp/lsdh/a',
  },
  { id: 'ls-invalid-option', target: 'chroot', command: 'ls -j /tmp' },
  // stat
  {
    id: 'stat-file',
    target: 'chroot',
    setup: tree('/tmp/stf'),
    command: 'stat /tmp/stf/server.key',
    normalize: TI,
  },
  {
    id: 'stat-directory',
    target: 'chroot',
    setup: tree('/tmp/std'),
    command: 'stat /tmp/std/sub',
    normalize: TI,
  },
  {
    id: 'stat-symlink',
    target: 'chroot',
    setup: tree('/tmp/sts'),
    command: 'cd /tmp/sts && stat current.crt',
    normalize: TI,
  },
  {
    id: 'stat-empty-file',
    target: 'chroot',
    setup: ['rm -rf /tmp/ste', 'mkdir /tmp/ste', 'touch /tmp/ste/empty'],
    command: 'stat /tmp/ste/empty',
    normalize: TI,
  },
  {
    id: 'stat-format',
    target: 'chroot',
    setup: tree('/tmp/stc'),
    command: "stat -c '%a %A %U:%G %s %F %n' /tmp/stc/server.key /tmp/stc/sub /tmp/stc/big.db",
  },
  { id: 'stat-missing', target: 'chroot', command: 'stat /tmp/nothing-here' },
  {
    id: 'stat-printf',
    target: 'chroot',
    setup: tree('/tmp/stp'),
    command: "stat --printf='%n=%s\\n' /tmp/stp/big.db",
  },
  // chown / chgrp
  {
    id: 'chown-invalid-user',
    target: 'chroot',
    setup: tree('/tmp/coi'),
    command: 'chown etcd /tmp/coi/server.key',
  },
  {
    id: 'chown-invalid-group',
    target: 'chroot',
    setup: tree('/tmp/cog'),
    command: 'chown root:etcd /tmp/cog/server.key',
  },
  { id: 'chown-missing-operand', target: 'chroot', command: 'chown nobody' },
  { id: 'chown-no-operands', target: 'chroot', command: 'chown' },
  {
    id: 'chown-verbose',
    target: 'chroot',
    setup: tree('/tmp/cov'),
    command:
      'chown -v nobody:nogroup /tmp/cov/server.key; chown -v nobody:nogroup /tmp/cov/server.key; chown -c root /tmp/cov/server.key',
  },
  { id: 'chown-missing-file', target: 'chroot', command: 'chown root /tmp/no-such-file' },
  {
    id: 'chown-user-colon',
    target: 'chroot',
    setup: tree('/tmp/coc'),
    command: "chown nobody: /tmp/coc/server.key && stat -c '%U:%G' /tmp/coc/server.key",
  },
  {
    id: 'chgrp-invalid',
    target: 'chroot',
    setup: tree('/tmp/cgi'),
    command: 'chgrp etcd /tmp/cgi/server.key',
  },
  {
    id: 'chgrp-verbose',
    target: 'chroot',
    setup: tree('/tmp/cgv'),
    command: 'chgrp -v nogroup /tmp/cgv/server.key',
  },
  // realpath / readlink
  {
    id: 'realpath-dots-and-link',
    target: 'chroot',
    setup: tree('/tmp/rp'),
    command: 'cd /tmp/rp/sub && realpath ../current.crt ../sub/./../big.db',
  },
  {
    id: 'realpath-missing-last',
    target: 'chroot',
    setup: tree('/tmp/rpm'),
    command: 'realpath /tmp/rpm/not-yet',
  },
  {
    id: 'realpath-existing-required',
    target: 'chroot',
    setup: tree('/tmp/rpe'),
    command: 'realpath -e /tmp/rpe/not-yet',
  },
  { id: 'realpath-missing-dir', target: 'chroot', command: 'realpath /tmp/no-dir/at-all' },
  { id: 'readlink-link', target: 'chroot', setup: tree('/tmp/rl'), command: 'readlink /tmp/rl/current.crt' },
  {
    id: 'readlink-canonical',
    target: 'chroot',
    setup: tree('/tmp/rlf'),
    command: 'readlink -f /tmp/rlf/current.crt',
  },
  {
    id: 'readlink-not-a-link',
    target: 'chroot',
    setup: tree('/tmp/rln'),
    command: 'readlink /tmp/rln/server.key',
  },
  { id: 'readlink-canonical-missing', target: 'chroot', command: 'readlink -f /x/y/z' },
  // cat on a directory
  { id: 'cat-directory', target: 'chroot', command: 'cat /tmp' },
  // sudo and su as root
  { id: 'sudo-cd', target: 'chroot', command: 'sudo cd /tmp' },
  { id: 'sudo-invalid-option', target: 'chroot', command: 'sudo -Z ls' },
  { id: 'sudo-unrecognized-long-option', target: 'chroot', command: 'sudo --bogus ls' },
  { id: 'sudo-no-command', target: 'chroot', command: 'sudo' },
  { id: 'sudo-command-not-found', target: 'chroot', command: 'sudo no-such-program' },
  { id: 'sudo-unknown-user', target: 'chroot', command: 'sudo -u etcd id' },
  { id: 'sudo-whoami-id', target: 'chroot', command: 'sudo whoami && sudo id' },
  { id: 'sudo-user-id', target: 'chroot', command: 'sudo -u nobody id && sudo -u nobody whoami' },
  {
    id: 'sudo-env-reset',
    target: 'chroot',
    command: 'export ETCDCTL_API=3; sudo printenv ETCDCTL_API; echo "status $?"',
  },
  {
    id: 'sudo-preserve-env',
    target: 'chroot',
    command: 'export ETCDCTL_API=3; sudo -E printenv ETCDCTL_API',
  },
  { id: 'sudo-assignment', target: 'chroot', command: 'sudo ETCDCTL_API=3 printenv ETCDCTL_API' },
  {
    id: 'sudo-environment',
    target: 'chroot',
    command: 'sudo printenv HOME USER LOGNAME SHELL MAIL PATH SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND',
  },
  { id: 'sudo-user-environment', target: 'chroot', command: 'sudo -u nobody printenv HOME USER SHELL MAIL' },
  {
    id: 'sudo-user-permission-denied-cat',
    target: 'chroot',
    setup: tree('/tmp/spc'),
    command: 'sudo -u nobody cat /tmp/spc/server.key',
  },
  { id: 'sudo-user-permission-denied-ls', target: 'chroot', command: 'sudo -u nobody ls /root' },
  { id: 'sudo-user-permission-denied-touch', target: 'chroot', command: 'sudo -u nobody touch /root/x' },
  { id: 'sudo-user-permission-denied-mkdir', target: 'chroot', command: 'sudo -u nobody mkdir /root/d' },
  {
    id: 'sudo-user-permission-denied-head',
    target: 'chroot',
    setup: tree('/tmp/sph'),
    command: 'sudo -u nobody head /tmp/sph/server.key',
  },
  {
    id: 'sudo-user-permission-denied-grep',
    target: 'chroot',
    setup: tree('/tmp/spg'),
    command: 'sudo -u nobody grep key /tmp/spg/server.key',
  },
  { id: 'sudo-user-permission-denied-rm', target: 'chroot', command: 'sudo -u nobody rm /etc/hostname' },
  {
    id: 'sudo-user-chown-not-permitted',
    target: 'chroot',
    setup: tree('/tmp/spo'),
    command: 'sudo -u nobody chown nobody /tmp/spo/server.crt',
  },
  {
    id: 'sudo-user-reads-public-file',
    target: 'chroot',
    setup: tree('/tmp/spr'),
    command: 'sudo -u nobody cat /tmp/spr/server.crt',
  },
  {
    id: 'sudo-user-creates-own-file',
    target: 'chroot',
    setup: ['rm -rf /tmp/spw', 'mkdir /tmp/spw', 'chmod 777 /tmp/spw'],
    command: "sudo -u nobody touch /tmp/spw/mine && stat -c '%U:%G %a' /tmp/spw/mine",
  },
  { id: 'sudo-login-nologin-user', target: 'chroot', command: 'sudo -u nobody -i' },
  { id: 'su-command', target: 'chroot', command: 'su -c whoami && su - -c pwd' },
  { id: 'su-nologin', target: 'chroot', command: 'su nobody' },
  { id: 'su-unknown-user', target: 'chroot', command: 'su - etcd' },
  { id: 'id-and-whoami', target: 'chroot', command: 'whoami; id; id -un; id -u; id -G' },
  { id: 'id-other-users', target: 'chroot', command: 'id nobody; id www-data; id etcd' },
  // tar (bundled, with GNU's warning added), cp, install
  {
    id: 'tar-leading-slash',
    target: 'chroot',
    setup: tree('/tmp/tl'),
    command: 'tar -cf /tmp/tl.tar /tmp/tl/server.crt; echo "status $?"',
  },
  {
    id: 'tar-list',
    target: 'chroot',
    setup: [...tree('/tmp/tt'), 'cd /tmp && tar -cf /tmp/tt.tar tt'],
    command: 'tar -tf /tmp/tt.tar | sort',
  },
  // du: GNU sizes in 1K blocks of what the files occupy (4 KiB blocks; directories 4096 bytes)
  { id: 'du-dir', target: 'chroot', setup: tree('/tmp/dud'), command: 'du /tmp/dud' },
  {
    // The real order is the directory's on disk (hashed): compared sorted.
    id: 'du-all',
    target: 'chroot',
    setup: tree('/tmp/dua'),
    command: 'du -a /tmp/dua',
    normalize: ['sorted'],
  },
  { id: 'du-summary-human', target: 'chroot', setup: tree('/tmp/dus'), command: 'du -sh /tmp/dus' },
  { id: 'du-human', target: 'chroot', setup: tree('/tmp/duh'), command: 'du -h /tmp/duh' },
  {
    id: 'du-big-file',
    target: 'chroot',
    setup: ['rm -rf /tmp/dub', 'mkdir /tmp/dub', "printf '%03000000d' 0 > /tmp/dub/f"],
    command: 'du -s /tmp/dub; du -h /tmp/dub/f',
  },
  { id: 'du-missing', target: 'chroot', command: 'du /nonexistent' },
  // tree 2.1.0
  { id: 'tree-dir', target: 'chroot', setup: tree('/tmp/trd'), command: 'tree /tmp/trd' },
  { id: 'tree-level', target: 'chroot', setup: tree('/tmp/trl'), command: 'tree -L 1 /tmp/trl' },
  {
    id: 'tree-hidden-and-dirs',
    target: 'chroot',
    setup: [...tree('/tmp/trh'), 'touch /tmp/trh/.hidden', 'mkdir -p /tmp/trh/sub/deeper'],
    command: 'tree -a /tmp/trh; tree -d /tmp/trh',
  },
  { id: 'tree-missing', target: 'chroot', command: 'tree /nonexistent' },
  // file: what a lab directory holds
  {
    id: 'file-lab-files',
    target: 'chroot',
    setup: [
      'rm -rf /tmp/fl',
      'mkdir -p /tmp/fl/dir',
      "printf 'apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: etcd\\n' > /tmp/fl/etcd.yaml",
      "printf -- '-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUQ==\\n-----END CERTIFICATE-----\\n' > /tmp/fl/ca.crt",
      "printf -- '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA==\\n-----END RSA PRIVATE KEY-----\\n' > /tmp/fl/ca.key",
      "printf -- '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg==\\n-----END PRIVATE KEY-----\\n' > /tmp/fl/p8.key",
      "printf -- '-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG==\\n-----END PUBLIC KEY-----\\n' > /tmp/fl/sa.pub",
      "printf '\\0\\0\\0\\0\\0\\0\\0\\0\\4\\0\\0\\0\\0\\0\\0\\0\\355\\332\\14\\355\\2\\0\\0\\0' > /tmp/fl/snapshot.db",
      "printf '\\0\\0\\0\\0\\4\\0\\0\\0\\0\\0\\0\\0' > /tmp/fl/wal",
      ': > /tmp/fl/empty',
      "printf '#!/bin/bash\\necho hi\\n' > /tmp/fl/run.sh",
    ],
    command: 'cd /tmp/fl && file etcd.yaml ca.crt ca.key p8.key sa.pub snapshot.db wal empty run.sh dir',
  },
  { id: 'file-missing', target: 'chroot', command: 'file /nonexistent' },
  {
    id: 'file-brief',
    target: 'chroot',
    setup: ['printf "a: 1\\n" > /tmp/fb.yaml'],
    command: 'file -b /tmp/fb.yaml',
  },
  // xxd and hexdump -C
  { id: 'xxd-stdin', target: 'chroot', command: "printf 'hello world, this is etcd\\n' | xxd" },
  {
    id: 'xxd-file-limit',
    target: 'chroot',
    setup: ["printf '\\0\\1\\2\\3abcdefghijklmnopqrstuvwxyz0123456789' > /tmp/xx.bin"],
    command: 'xxd -l 20 /tmp/xx.bin; xxd -p /tmp/xx.bin',
  },
  { id: 'xxd-missing', target: 'chroot', command: 'xxd /nonexistent' },
  {
    id: 'hexdump-canonical',
    target: 'chroot',
    command: "printf 'hello world, this is etcd\\n' | hexdump -C",
  },
  {
    id: 'hexdump-repeats',
    target: 'chroot',
    setup: ["printf '%0100d' 0 > /tmp/hz.bin; printf 'end' >> /tmp/hz.bin"],
    command: 'hexdump -C /tmp/hz.bin',
  },
  { id: 'hexdump-missing', target: 'chroot', command: 'hexdump -C /nonexistent' },
  // cp -a keeps owner, group, mode and times
  {
    id: 'cp-archive-file',
    target: 'chroot',
    setup: [
      'rm -rf /tmp/cpa /tmp/cpa-copy',
      'mkdir /tmp/cpa',
      "printf 'x\\n' > /tmp/cpa/f",
      'chmod 640 /tmp/cpa/f',
      'chown nobody:nogroup /tmp/cpa/f',
      "touch -d '2024-02-03 04:05:06' /tmp/cpa/f",
    ],
    command: "cp -a /tmp/cpa/f /tmp/cpa-copy && stat -c '%a %U %G %y' /tmp/cpa-copy",
  },
  {
    id: 'cp-archive-dir',
    target: 'chroot',
    setup: [
      'rm -rf /tmp/cpd /tmp/cpd-copy',
      'mkdir -p /tmp/cpd/sub',
      "printf 'k\\n' > /tmp/cpd/sub/k",
      'chmod 700 /tmp/cpd',
      'chmod 600 /tmp/cpd/sub/k',
      "touch -d '2024-02-03 04:05:06' /tmp/cpd/sub/k /tmp/cpd/sub /tmp/cpd",
    ],
    command:
      "cp -a /tmp/cpd /tmp/cpd-copy && stat -c '%n %a %U %y' /tmp/cpd-copy /tmp/cpd-copy/sub /tmp/cpd-copy/sub/k",
  },
  {
    id: 'cp-plain-new-file-mode',
    target: 'chroot',
    setup: [...tree('/tmp/cpp'), 'rm -f /tmp/cpp-key'],
    command: "cp /tmp/cpp/server.key /tmp/cpp-key && stat -c '%a %U' /tmp/cpp-key",
  },
  {
    id: 'install-mode',
    target: 'chroot',
    setup: [...tree('/tmp/ins'), 'rm -f /tmp/ins-out'],
    command: "install -m 600 /tmp/ins/server.crt /tmp/ins-out && stat -c '%a %U %s' /tmp/ins-out",
  },
  // the real kubeadm node (kind-node fixture, Kubernetes 1.20)
  { id: 'kubeadm-ls-etc-kubernetes', target: 'kind-node', profile: '1.20', command: 'ls /etc/kubernetes' },
  {
    id: 'kubeadm-pki-modes',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -l /etc/kubernetes/pki',
    normalize: ['times', 'sizes'],
  },
  {
    id: 'kubeadm-etcd-pki-modes',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -l /etc/kubernetes/pki/etcd',
    normalize: ['times', 'sizes'],
  },
  {
    id: 'kubeadm-manifests',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -la /etc/kubernetes/manifests',
    normalize: ['times', 'sizes'],
  },
  {
    id: 'kubeadm-kubeconfig-modes',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -l /etc/kubernetes',
    normalize: ['times', 'sizes'],
  },
  {
    id: 'kubeadm-private-dirs',
    target: 'kind-node',
    profile: '1.20',
    command:
      "stat -c '%A %U %G %n' /var/lib/etcd /etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki",
  },
  {
    id: 'kubeadm-etcd-member',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -la /var/lib/etcd/member',
    normalize: ['times'],
  },
  {
    id: 'kubeadm-wal-preallocated',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -l /var/lib/etcd/member/wal',
    normalize: ['times'],
  },
  {
    id: 'kubeadm-wal-human',
    target: 'kind-node',
    profile: '1.20',
    command: 'ls -lh /var/lib/etcd/member/wal',
    normalize: ['times'],
  },
  {
    id: 'kubeadm-stat-owners',
    target: 'kind-node',
    profile: '1.20',
    command:
      "stat -c '%a %U %G %n' /etc/kubernetes/pki/etcd/server.key /etc/kubernetes/pki/etcd/ca.crt /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/admin.conf /var/lib/etcd /var/lib/etcd/member/snap/db",
  },
  {
    id: 'kubeadm-no-etcd-user',
    target: 'kind-node',
    profile: '1.20',
    command: 'id etcd; chown etcd:etcd /var/lib/etcd',
  },
  { id: 'kubeadm-whoami', target: 'kind-node', profile: '1.20', command: 'whoami; id' },
]
