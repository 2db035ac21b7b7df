import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const workspaceRoot = path.resolve(__dirname, '../..');

const nxBin = path.join(workspaceRoot, 'node_modules/nx/dist/bin/nx.js');

/** Runs the Nx CLI in `cwd` without the daemon, so a test sees the files as they are now. */
export function runNx(args: string[], cwd = workspaceRoot): string {
  return execFileSync(process.execPath, [nxBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface ProjectNode {
  name: string;
  root: string;
  tags: string[];
}

/** The project graph's nodes as Nx computes them (`nx graph --file`). */
export function readProjectNodes(cwd = workspaceRoot): ProjectNode[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-graph-'));
  try {
    const file = path.join(dir, 'graph.json');
    runNx(['graph', `--file=${file}`], cwd);
    const graph = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      graph: { nodes: Record<string, { name: string; data: { root: string; tags?: string[] } }> };
    };
    return Object.values(graph.graph.nodes).map((node) => ({
      name: node.name,
      root: node.data.root,
      tags: node.data.tags ?? [],
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
