// Which local process listens on a TCP port, from /proc (Linux): lets the bench see the CPU and
// peak RSS of services it did not start itself. Elsewhere, or for remote hosts, nothing is found.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

function listeningInodes(ports) {
  const inodes = new Map(); // inode -> port
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines = [];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const port = parseInt(fields[1].split(':').pop(), 16);
      if (fields[3] === LISTEN && ports.has(port)) inodes.set(fields[9], port);
    }
  }
  return inodes;
}

/** port -> pid, for the ports some local process listens on. */
export function listeningPids(portList) {
  const found = new Map();
  const inodes = listeningInodes(new Set(portList));
  if (inodes.size === 0) return found;
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const pid of pids) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) found.set(inodes.get(inode), Number(pid));
    }
    if (found.size === inodes.size) break;
  }
  return found;
}
