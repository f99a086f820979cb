/**
 * Asking a running lab host from another process (`kt lab status`,
 * `kt lab apply`, `kt lab chat`, `kt lab resume`), and what it may be asked: the CLI loads
 * this, not the host itself.
 */
import { UsageError } from '../errors.js';
import { connectLab, decode, encode, type LabConnectOptions } from './connect.js';
import type { GroupRequest } from './graph-protocol.js';
import type { Reply } from './protocol.js';
import { labSubjects } from './subjects.js';

export type HostRequest = GroupRequest | { op: 'status' } | { op: 'apply'; recipe: string; cwd?: string } | { op: 'chat'; name: string; text: string }
  /** A saved graph placed back onto the workers: a file path, graph id or a file name's start in the host's folder. */
  | { op: 'resume'; session: string };

/** Ask a running host something (`kt lab status`, `kt lab apply`). */
export async function askHost<T>(options: LabConnectOptions, request: HostRequest, timeout = 60_000): Promise<T> {
  const nc = await connectLab({ ...options, name: options.name ?? 'kt-lab' });
  try {
    const msg = await nc.request(labSubjects(options.lab ?? 'default').host, encode(request), { timeout });
    const reply = decode<Reply<T>>(msg.data);
    if (!reply.ok) throw new UsageError(reply.error);
    return reply.value;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no lab host answered on lab '${options.lab ?? 'default'}' (${error instanceof Error ? error.message : String(error)}); start one with kt serve start --mode lab-host`);
  } finally {
    await nc.close();
  }
}
