import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { existsSync, readFileSync } from 'node:fs';
import type { CheckpointSource } from '@ledger/audit';
import { consistencyProofOf, WitnessRefusal } from '@ledger/audit';
import { WitnessCommand, WitnessModule } from '@ledger/application';
import { openEventStore } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';

export interface WitnessOptions {
  readonly source: string;
  readonly state: string;
  readonly key: string;
  readonly name: string;
  /** The ledger's vkey, or a file holding it. */
  readonly logKey?: string;
}

/** The ledger's HTTP API: GET /checkpoint and GET /proofs/consistency, with an auditor's key. */
function httpSource(base: string, apiKey: string): CheckpointSource {
  const root = base.replace(/\/+$/, '');
  const get = async (path: string): Promise<Response> => {
    const response = await fetch(`${root}${path}`, { headers: apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` } });
    return response;
  };
  return {
    name: root,
    latest: async () => {
      const response = await get('/checkpoint');
      if (response.status === 404) return null;
      if (!response.ok) throw new RangeError(`${root}/checkpoint answered ${response.status}: ${await response.text()}`);
      return response.text();
    },
    consistency: async (from, to) => {
      const response = await get(`/proofs/consistency?from=${from}&to=${to}`);
      if (!response.ok) throw new WitnessRefusal('inconsistent', `${root} gives no consistency proof from ${from} to ${to} (${response.status}: ${await response.text()})`);
      const body = (await response.json()) as { proof?: unknown };
      if (!Array.isArray(body.proof) || !body.proof.every((h): h is string => typeof h === 'string')) return [];
      return body.proof.map((h) => Buffer.from(h, 'base64'));
    },
  };
}

/**
 * `ledger witness --source <URL|LEDGER_DB> --state DIR --key FILE [--name] [--log-key VKEY|FILE]`:
 * one witness round. Exit 0: cosigned; 1: refused (a finding naming both checkpoints); 2: usage.
 */
export async function witnessCommand(options: WitnessOptions, apiKey: string, io: CliIo): Promise<number> {
  const logVkey = options.logKey === undefined ? undefined : existsSync(options.logKey) ? readFileSync(options.logKey, 'utf8').trim() : options.logKey;
  let close = async (): Promise<void> => undefined;
  const app = await NestFactory.createApplicationContext(WitnessModule, { logger: false, abortOnError: false });
  try {
    let source: CheckpointSource;
    if (/^https?:\/\//.test(options.source)) source = httpSource(options.source, apiKey);
    else {
      const store = await openEventStore(options.source, { create: false });
      close = () => store.close();
      source = {
        name: options.source,
        latest: async () => (await store.checkpoints(1))[0]?.note ?? null,
        consistency: async (from, to) => (await consistencyProofOf(store, from, to)).proof,
      };
    }
    const round = await app.get(CommandBus).execute(
      new WitnessCommand({
        source,
        stateDir: options.state,
        ...(logVkey !== undefined ? { logVkey } : {}),
        keyFile: options.key,
        name: options.name,
        // The witness's own clock: the cosignature's time.
        timestamp: Math.floor(Date.now() / 1000),
      }),
    );
    const { checkpoint } = round;
    const what = round.status === 'first' ? 'first checkpoint held' : round.status === 'same' ? 'same tree as held' : `extends the held size ${round.held?.size}`;
    io.out(`cosigned ${checkpoint.origin} size ${checkpoint.size} root ${checkpoint.rootHash.toString('base64')} (${what}); stored in ${options.state}`);
    return 0;
  } catch (error) {
    if (error instanceof WitnessRefusal) {
      io.err(`witness REFUSES (${error.kind}): ${error.message}`);
      return 1;
    }
    return refusedInput(io, error);
  } finally {
    await close();
    await app.close();
  }
}
