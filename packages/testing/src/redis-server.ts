/**
 * A private redis-server (Debian's binary) for tests that stop and restart Redis, which must never
 * be done to the machine's shared one. Append-only with fsync on every write, so what was written
 * before a kill is there after the restart, as with a persistent production Redis: the worst case
 * for stale cache entries.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@goalpost/db';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  /** Kills the server at once (SIGKILL), as a crash or a lost node would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it answers PING. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-redis-'));
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      for (let i = 0; ; i++) {
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch (error) {
          if (i > 200 || child.exitCode !== null) throw new Error(`redis-server did not start on ${port}: ${error}`);
          probe.disconnect();
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    } finally {
      probe.disconnect();
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise((resolve) => {
      c.once('exit', resolve);
      c.kill('SIGKILL');
    });
  };
  await start();
  return {
    url,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
