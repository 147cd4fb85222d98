// Server-side cost from /proc (Linux): CPU time and resident memory of a process tree. `next start`
// runs its work in a child `next-server`, and `tsx` wraps its script in a child node, so every
// figure sums the whole tree under the process the bench started.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuTicks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // Fields from 3 on: state(3) ppid(4) … utime(14) stime(15).
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, cpuTicks: utime + stime };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The pids of `root` and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(pid);
    children.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU milliseconds (user + system) used so far by the given processes. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.cpuTicks ?? 0;
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of the given processes, in bytes. */
export function rssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match?.[1]) total += Number(match[1]) * 1024;
    } catch {
      // the process ended
    }
  }
  return total;
}

/** The pid of the process listening on 127.0.0.1:<port> (through /proc/net/tcp socket inodes). */
export function listenerPid(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; column 10 is the inode.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/** The ancestor of `pid` whose parent is `parent` (the process tree the bench started). */
export function ancestorUnder(pid: number, parent: number): number | null {
  let current: number | undefined = pid;
  for (let depth = 0; current !== undefined && depth < 32; depth += 1) {
    const stat = readStat(current);
    if (!stat) return null;
    if (stat.ppid === parent) return current;
    current = stat.ppid;
  }
  return null;
}

/** Samples the tree's RSS every `intervalMs` until stopped; returns the peak in bytes. */
export function sampleRss(root: number, intervalMs = 100): { stop(): number } {
  let pids = processTree(root);
  let peak = rssBytes(pids);
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (ticks % 10 === 0) pids = processTree(root);
    peak = Math.max(peak, rssBytes(pids));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pids));
    },
  };
}
