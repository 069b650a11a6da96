import { lastValueFrom, toArray } from 'rxjs';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTIONS } from '@ledger/projections';
import { twoCoursesOneRetracted } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { RebuildCommand, UnknownProjectionError } from './rebuild.command';

describe('RebuildCommand (RebuildHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  it('waits for the reports in progress, rebuilds one projection up to the head, and says so', async () => {
    const events = await lastValueFrom((await sut.commands.execute(new RebuildCommand('courses-and-certificates'))).pipe(toArray()));
    expect(events[0]).toEqual({ type: 'progress', phase: 'waiting for the reports in progress', done: 0, total: 0 });
    expect(events[1]).toEqual({ type: 'progress', phase: 'rebuilding', done: 0, total: 3 });
    const last = events.at(-1);
    const version = PROJECTIONS.find((p) => p.name === 'courses-and-certificates')?.version;
    expect(last).toEqual({ type: 'result', result: { seconds: expect.any(Number), projections: [{ name: 'courses-and-certificates', version, position: 3 }] } });
    const states = sut.app.get<ProjectionStateStore>(PROJECTION_STATES);
    expect((await states.load('courses-and-certificates'))?.position).toBe(3);
  });

  it('rebuilds every projection when none is named', async () => {
    const events = await lastValueFrom((await sut.commands.execute(new RebuildCommand())).pipe(toArray()));
    const last = events.at(-1);
    expect(last?.type === 'result' ? last.result.projections.map((p) => p.name) : []).toEqual(PROJECTIONS.map((p) => p.name));
  });

  it('refuses a name no projection has when executed, before anything runs', async () => {
    const refused = sut.commands.execute(new RebuildCommand('nothing'));
    await expect(refused).rejects.toBeInstanceOf(UnknownProjectionError);
    await expect(refused).rejects.toThrow(`no projection named "nothing"; there are: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  });
});
