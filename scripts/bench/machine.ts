// A description of the machine a benchmark ran on, for the figures to be read against.
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  os: string;
  node: string;
  loadAverage: number[];
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1e8) / 10,
    freeMemoryGb: Math.round(freemem() / 1e8) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node} (load average at start ${m.loadAverage.join(' / ')})`;
}
