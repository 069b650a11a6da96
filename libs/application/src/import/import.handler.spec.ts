import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { syntheticEvents, toNdjson } from '@ledger/bench/synthetic-events';
import { learnerActive } from '@ledger/testing/event-builders';
import { EventsRejectedError } from '@ledger/ingest';
import { resultOf } from '../progress';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ImportCommand } from './import.command';

describe('ImportCommand (ImportHandler)', () => {
  let sut: UseCasesUnderTest;
  let file: string;
  beforeEach(async () => {
    sut = await useCasesOnSqlite({ ingest: true });
    sut.clock.set('2021-06-01T00:00:00Z');
    file = join(sut.dir, 'events.ndjson');
  });
  afterEach(() => sut.close());

  it('streams reading, checking and writing, then appends the whole file; again, it appends nothing', async () => {
    writeFileSync(file, toNdjson(syntheticEvents(50, 3)));
    const events = await lastValueFrom((await sut.commands.execute(new ImportCommand(file))).pipe(toArray()));
    const phases = [...new Set(events.flatMap((e) => (e.type === 'progress' ? [e.phase] : [])))];
    expect(phases).toEqual(['reading', 'checking', 'writing']);
    expect(events.at(-1)).toEqual({ type: 'result', result: { events: 50, appended: 50, alreadyPresent: 0, positions: { first: 1, last: 50 } } });
    const again = await resultOf(await sut.commands.execute(new ImportCommand(file)));
    expect(again).toEqual({ events: 50, appended: 0, alreadyPresent: 50 });
  });

  it('refuses a file with a bad line, naming the line and the field, and stores nothing', async () => {
    const lines = toNdjson(syntheticEvents(20, 4)).split('\n');
    lines[12] = JSON.stringify({ ...learnerActive(9001, 'x'), data: { firstName: 'Ada' } });
    writeFileSync(file, lines.join('\n'));
    const refused = resultOf(await sut.commands.execute(new ImportCommand(file)));
    await expect(refused).rejects.toBeInstanceOf(EventsRejectedError);
    await expect(refused).rejects.toMatchObject({ errors: [expect.objectContaining({ line: 13, field: expect.stringContaining('data') })] });
    expect((await sut.store.head()).position).toBe(0);
  });

  it('stores nothing when the signal the command brings is aborted (Ctrl-C), and fails', async () => {
    writeFileSync(file, toNdjson(syntheticEvents(20, 5)));
    const controller = new AbortController();
    const interrupted = new Error('interrupted by SIGINT');
    controller.abort(interrupted);
    // Aborted while the file is read, Node's AbortError; later, the signal's reason: the CLI asks its signal what came.
    await expect(resultOf(await sut.commands.execute(new ImportCommand(file, controller.signal)))).rejects.toMatchObject({ name: 'AbortError' });
    expect((await sut.store.head()).position).toBe(0);
  });
});
