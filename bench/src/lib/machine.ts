/** The machine and software a result was measured on. */
import { createRequire } from "node:module";
import { arch, cpus, release, totalmem, type } from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  os: string;
  node: string;
  socketIo: string;
  socketIoClient: string;
}

const require = createRequire(import.meta.url);

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    socketIo: packageVersion("socket.io"),
    socketIoClient: packageVersion("socket.io-client"),
  };
}

/** The installed version of a package the bench resolves, "unknown" if it cannot be read. */
export function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
