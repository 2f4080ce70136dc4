/**
 * Trace files as a stream of byte chunks of a fixed size: plain, gzip (zlib stream) or zstd (fzstd's
 * streaming decompressor; Node 20's zlib has no zstd), told apart by their magic numbers. Memory is
 * one chunk in flight, whatever the file's length. Damaged or truncated compressed data is one
 * InputError naming the file.
 */
import { createReadStream, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { Decompress } from 'fzstd';
import { InputError } from '../../lib/errors';

export type Compression = 'none' | 'gzip' | 'zstd';

/** Default read size: large enough to amortize the per-chunk work, small enough to stay in cache. */
export const CHUNK_BYTES = 1 << 20;

/** The compression of a file by its first bytes. */
export function compressionOf(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

function fileHead(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(4);
    const n = readSync(fd, head, 0, 4, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function damaged(file: string, kind: Compression, why: string): InputError {
  return new InputError(`--trace '${file}': the ${kind} data is damaged or truncated (${why}); check the file (${kind === 'gzip' ? 'gzip -t' : 'zstd -t'} ${file}) or fetch it again.`);
}

/**
 * Calls `onChunk` with the file's (decompressed) bytes, in order, in chunks of at most about
 * `chunkBytes`. A chunk is only valid during the call. Damaged or truncated compressed data is bad
 * input, unless `onDamage` is given (logs, where a damaged file is counted, not fatal): it is told
 * why, after the chunks before the damage.
 */
export async function readChunks(file: string, onChunk: (chunk: Uint8Array) => void, chunkBytes = CHUNK_BYTES, onDamage?: (why: string) => void): Promise<Compression> {
  const kind = compressionOf(fileHead(file));
  if (kind === 'none') {
    // Two buffers, read into again and again (a chunk is only valid during the call): no allocation
    // per chunk, and the next chunk is being read while this one is parsed.
    const fh = await open(file, 'r');
    const bufs = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)] as const;
    let pending: Promise<{ bytesRead: number }> | undefined;
    try {
      let position = 0, which = 0;
      pending = fh.read(bufs[0], 0, chunkBytes, 0);
      for (;;) {
        const { bytesRead } = await pending;
        pending = undefined;
        if (bytesRead === 0) break;
        const buf = bufs[which]!;
        position += bytesRead;
        which ^= 1;
        pending = fh.read(bufs[which]!, 0, chunkBytes, position);
        onChunk(bytesRead === chunkBytes ? buf : buf.subarray(0, bytesRead));
      }
    } finally {
      await pending?.catch(() => undefined);
      await fh.close();
    }
    return kind;
  }
  const input = createReadStream(file, { highWaterMark: chunkBytes });
  if (kind === 'gzip') {
    const gunzip = createGunzip({ chunkSize: Math.max(64, chunkBytes) });
    input.on('error', (e) => gunzip.destroy(e));
    input.pipe(gunzip);
    let delivered = 0;
    try {
      for await (const chunk of gunzip) {
        onChunk(chunk as Buffer);
        delivered += (chunk as Buffer).length;
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err.code?.startsWith('Z_') || err.code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
        if (!onDamage) throw damaged(file, kind, err.message);
        // How much output a stream hands over before its error depends on timing: the rest of what
        // can be decompressed comes from one flushed pass over the (damaged, so rare) file, so the
        // lines read are always the same, and the same as the whole-file reader's (logText).
        const rest = decompressBeforeDamage(readFileSync(file));
        if (rest.length > delivered) onChunk(rest.subarray(delivered));
        onDamage(err.message);
        return kind;
      }
      throw e;
    }
    return kind;
  }
  const zstd = new Decompress((data) => onChunk(data));
  try {
    for await (const chunk of input) zstd.push(chunk as Buffer);
    zstd.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (!onDamage) throw damaged(file, kind, (e as Error).message);
    onDamage((e as Error).message);
  }
  return kind;
}

/** The bytes of damaged gzip data that decompress before the damage (flushed, no error for the break). */
export function decompressBeforeDamage(bytes: Uint8Array): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}
