import * as fs from 'fs';
import * as path from 'path';

/**
 * The replay's progress line on stderr: records read, records per second, and, when the size of
 * the input is known (plain files, not gzip or stdin), how far through it and an ETA.
 */
export function progressLine(records: number, elapsedMs: number, bytesRead: number, totalBytes: number | undefined): string {
  const perSecond = elapsedMs > 0 ? Math.round(records / (elapsedMs / 1000)) : 0;
  let line = `${records.toLocaleString('en-US')} records read, ${perSecond.toLocaleString('en-US')} records/s`;
  if (totalBytes !== undefined && totalBytes > 0 && bytesRead > 0) {
    const done = Math.min(1, bytesRead / totalBytes);
    const etaSeconds = Math.max(0, Math.round((elapsedMs / 1000) * (1 - done) / done));
    line += `, ${Math.floor(done * 100)} % of ${formatBytes(totalBytes)}, ETA ${formatDuration(etaSeconds)}`;
  }
  return line;
}

/**
 * The bytes the records of these paths take, when every one is a plain file (or a directory of
 * them): undefined for stdin, gzip or anything whose decoded size is not known in advance.
 */
export function knownInputBytes(paths: readonly string[]): number | undefined {
  if (paths.length === 0) {
    return undefined;
  }
  let total = 0;
  for (const p of paths) {
    const size = plainBytes(p);
    if (size === undefined) {
      return undefined;
    }
    total += size;
  }
  return total;
}

function plainBytes(p: string): number | undefined {
  if (p === '-') {
    return undefined;
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) {
    let total = 0;
    for (const entry of fs.readdirSync(p).filter(e => !e.startsWith('.'))) {
      const size = plainBytes(path.join(p, entry));
      if (size === undefined) {
        return undefined;
      }
      total += size;
    }
    return total;
  }
  return stat.isFile() && !p.endsWith('.gz') ? stat.size : undefined;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
