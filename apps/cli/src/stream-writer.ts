/**
 * Writes chunks to a stream no faster than it takes them: when `write` says its buffer is
 * full, the next chunk waits for 'drain' (stdout into a pipe buffers without limit otherwise).
 * A stream that closes or fails meanwhile rejects the wait: `| head` closing the pipe
 * (EPIPE) ends the writing, not with a stack trace (see isClosedPipe).
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!stream.write(chunk)) await drained(stream);
  }
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(Object.assign(new Error('the output was closed'), { code: 'EPIPE' }));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** The reader of the output went away (`| head`): nothing more to say, and nobody to say it to. */
export function isClosedPipe(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}
