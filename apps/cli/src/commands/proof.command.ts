import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { writeFileSync } from 'node:fs';
import { ProofAtQuery, ProofQuery } from '@ledger/application';
import { ProofError, type ProofBundle } from '@ledger/audit';
import type { CliIo } from '../cli-io';

export interface ProofOptions {
  /** Prove the event at this log position instead (an erased event has no id left). */
  readonly position?: string;
  /** A publication id: prove the event against the tree that publication sealed. */
  readonly against?: string;
  /** Where to write the bundle; default `proof-<eventId>.json`. */
  readonly out?: string;
}

/** The default file name: the event id, with anything a file name should not hold replaced. */
export function defaultProofFile(eventId: string): string {
  return `proof-${eventId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * `ledger proof <event-id> [--against <publication>] [--out <file>]`: writes the event's
 * self-contained proof bundle, which `tools/verify-proof.js` checks without the ledger.
 * Exit 1 when no proof can be given (unknown event or publication, altered log); 2 for bad arguments.
 */
export async function proofCommand(app: INestApplicationContext, eventId: string | undefined, options: ProofOptions, io: CliIo): Promise<number> {
  if ((eventId === undefined) === (options.position === undefined)) {
    io.err('proof: give an event id or --position <n>, one of the two');
    return 2;
  }
  if (eventId !== undefined && eventId.trim() === '') {
    io.err('proof: the event id is empty');
    return 2;
  }
  const position = options.position === undefined ? undefined : /^[1-9][0-9]{0,15}$/.test(options.position) ? Number(options.position) : NaN;
  if (position !== undefined && !Number.isSafeInteger(position)) {
    io.err(`proof: --position must be a log position, an integer from 1, not ${JSON.stringify(options.position)}`);
    return 2;
  }
  if (options.against !== undefined && options.against.trim() === '') {
    io.err('proof: --against needs a publication id');
    return 2;
  }
  let bundle: ProofBundle;
  try {
    const queries = app.get(QueryBus);
    bundle = position !== undefined ? await queries.execute(new ProofAtQuery(position, options.against)) : await queries.execute(new ProofQuery(eventId ?? '', options.against));
  } catch (error) {
    if (!(error instanceof ProofError)) throw error;
    io.err(`proof: ${error.message}`);
    return 1;
  }
  const file = options.out ?? defaultProofFile(eventId ?? `position-${position ?? ''}`);
  try {
    writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
  } catch (error) {
    io.err(`proof: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const against = bundle.sealedBy ? `sealed by publication ${bundle.sealedBy.publicationId}` : 'the whole log';
  io.out(
    `wrote the proof of ${eventId !== undefined ? `event ${eventId}` : 'the event'} (position ${bundle.leafIndex + 1}${'payload' in bundle && bundle.payload === 'erased' ? ', payload erased' : ''}) in the tree of ${bundle.treeSize} events ` +
      `(${against}), root ${bundle.rootHash}, to ${file}`,
  );
  io.out(`check it with: node tools/verify-proof.js ${shellWord(file)}`);
  io.out('and its signed checkpoint with --key <the ledger key published with the report> (`ledger public-key` prints it)');
  return 0;
}

/** A path as one shell word, for a line the user may paste. */
function shellWord(path: string): string {
  return /^[A-Za-z0-9._\/-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
