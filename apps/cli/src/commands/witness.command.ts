import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { existsSync, readFileSync } from 'node:fs';
import type { CheckpointSource } from '@ledger/audit';
import { consistencyProofOf, servedCheckpoint, WitnessRefusal } from '@ledger/audit';
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
  /** Send the cosigned checkpoint back to the ledger's API (POST /checkpoint/cosignatures). */
  readonly submit?: boolean;
}

/** The ledger refused or could not take the cosignature sent back (the round itself is kept): exit 2. */
class SubmitError extends RangeError {}

/** POST /checkpoint/cosignatures: the ledger keeps the cosignature and serves it with its checkpoint. */
async function submitCosignature(base: string, apiKey: string, note: string): Promise<{ added: number; witnesses: string[] }> {
  const url = `${base.replace(/\/+$/, '')}/checkpoint/cosignatures`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }) },
      body: JSON.stringify({ note }),
    });
  } catch (error) {
    throw new SubmitError(`could not send the cosignature to ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      const body = JSON.parse(text) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
      else if (Array.isArray(body.message)) message = body.message.map((m) => JSON.stringify(m)).join('; ');
    } catch {
      // not JSON: the text as it came
    }
    throw new SubmitError(`${url} refused the cosignature (${response.status}): ${message}`);
  }
  const body = JSON.parse(text) as { added?: unknown; witnesses?: unknown };
  return {
    added: typeof body.added === 'number' ? body.added : 0,
    witnesses: Array.isArray(body.witnesses) ? body.witnesses.filter((w): w is string => typeof w === 'string') : [],
  };
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
  const http = /^https?:\/\//.test(options.source);
  if (options.submit === true && !http) {
    io.err(`--submit sends the cosignature to the ledger's API: --source must be its URL (http(s)://...), not ${options.source}`);
    return 2;
  }
  let close = async (): Promise<void> => undefined;
  const app = await NestFactory.createApplicationContext(WitnessModule, { logger: false, abortOnError: false });
  try {
    let source: CheckpointSource;
    if (http) source = httpSource(options.source, apiKey);
    else {
      const store = await openEventStore(options.source, { create: false });
      close = () => store.close();
      source = {
        name: options.source,
        // As GET /checkpoint serves it: with the cosignatures the ledger collected.
        latest: async () => {
          const [latest] = await store.checkpoints(1);
          return latest ? (await servedCheckpoint(store, latest)).note : null;
        },
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
    if (options.submit === true) {
      const sent = await submitCosignature(options.source, apiKey, round.cosigned);
      io.out(`sent to ${options.source}: ${sent.added === 0 ? 'already held by the ledger' : 'kept by the ledger'}; it holds cosignatures of this checkpoint by ${sent.witnesses.join(', ')}`);
    }
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
