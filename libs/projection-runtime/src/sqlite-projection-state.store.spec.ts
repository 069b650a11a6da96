import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeState } from './state-encoding';
import { SqliteProjectionStateStore } from './sqlite-projection-state.store';

/** A columnar state: two byte columns, one of them over several 4 MiB parts, and some JSON. */
function columnarState(): { label: string; small: Uint8Array; large: Uint8Array } {
  const large = new Uint8Array(9 * 1024 * 1024 + 13);
  for (let i = 0; i < large.length; i += 1) large[i] = (i * 31 + (i >>> 12)) & 0xff;
  return { label: 'columns', small: Uint8Array.from([1, 2, 3]), large };
}

const checkpoint = { name: 'columnar', version: 1, logId: 'log-1', chain: 'c'.repeat(64) };

function partsOf(file: string): Array<{ owner: string; part: number; size: number }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], { owner: string; part: number; size: number }>('SELECT owner, part, length(bytes) AS size FROM state_bytes ORDER BY owner, part').all();
  } finally {
    db.close();
  }
}

describe('SqliteProjectionStateStore: a state with bytes', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-states-'));
    file = join(dir, 'read-models.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its bytes in parts of 4 MiB and reads them back whole, each column a view at an aligned offset', async () => {
    const states = new SqliteProjectionStateStore(file);
    const state = columnarState();
    await states.save({ ...checkpoint, position: 10, state });
    const loaded = (await states.load('columnar'))?.state as ReturnType<typeof columnarState>;
    expect(loaded.label).toBe('columns');
    expect(Array.from(loaded.small)).toEqual([1, 2, 3]);
    expect(Buffer.from(loaded.large.buffer, loaded.large.byteOffset, loaded.large.byteLength).equals(Buffer.from(state.large))).toBe(true);
    expect(loaded.large.byteOffset % 8).toBe(0);
    await states.close();
    const size = encodeState(state).bytes.byteLength;
    expect(partsOf(file)).toEqual([
      { owner: 'state/columnar', part: 0, size: 4 * 1024 * 1024 },
      { owner: 'state/columnar', part: 1, size: 4 * 1024 * 1024 },
      { owner: 'state/columnar', part: 2, size: size - 8 * 1024 * 1024 },
    ]);
  });

  it('replaces the parts of a state saved again (none left over from a larger one), and of a snapshot at the same position', async () => {
    const states = new SqliteProjectionStateStore(file);
    await states.save({ ...checkpoint, position: 10, state: columnarState() });
    await states.saveSnapshot({ ...checkpoint, position: 10, state: columnarState() });
    const smaller = { label: 'smaller', small: Uint8Array.from([9]), large: new Uint8Array(5) };
    await states.save({ ...checkpoint, position: 20, state: smaller });
    await states.saveSnapshot({ ...checkpoint, position: 10, state: smaller });
    const loaded = (await states.load('columnar'))?.state as typeof smaller;
    expect(loaded.label).toBe('smaller');
    expect(Array.from(loaded.large)).toEqual([0, 0, 0, 0, 0]);
    const snapshot = await states.loadSnapshot('columnar', 1, 15, 'log-1');
    expect(snapshot?.position).toBe(10);
    expect((snapshot?.state as typeof smaller).label).toBe('smaller');
    await states.close();
    expect(partsOf(file)).toEqual([
      { owner: 'snapshot/columnar/1/10', part: 0, size: 16 },
      { owner: 'state/columnar', part: 0, size: 16 },
    ]);
  });

  it('drops the parts of a state and of its snapshots on reset, and no other projection loses its own', async () => {
    const states = new SqliteProjectionStateStore(file);
    await states.save({ ...checkpoint, position: 10, state: columnarState() });
    await states.saveSnapshot({ ...checkpoint, position: 5, state: columnarState() });
    await states.save({ ...checkpoint, name: 'columnar-other', position: 10, state: { small: Uint8Array.from([7]) } });
    await states.reset('columnar');
    expect(await states.load('columnar')).toBeUndefined();
    expect(await states.loadSnapshot('columnar', 1, 100, 'log-1')).toBeUndefined();
    expect(Array.from(((await states.load('columnar-other'))?.state as { small: Uint8Array }).small)).toEqual([7]);
    await states.close();
    expect(partsOf(file).map((p) => p.owner)).toEqual(['state/columnar-other']);
  });

  it('reads a state a file written before the parts holds in its row, and its snapshots too', async () => {
    await new SqliteProjectionStateStore(file).close();
    const { json, bytes } = encodeState(columnarState());
    const db = new Database(file);
    db.prepare("INSERT INTO projection_states (name, version, position, log_id, chain, state, bytes) VALUES ('columnar', 1, 10, 'log-1', ?, ?, ?)").run(checkpoint.chain, json, bytes);
    db.prepare("INSERT INTO projection_snapshots (name, version, position, log_id, chain, state, bytes) VALUES ('columnar', 1, 5, 'log-1', ?, ?, ?)").run(checkpoint.chain, json, bytes);
    db.close();
    const states = new SqliteProjectionStateStore(file);
    for (const stored of [await states.load('columnar'), await states.loadSnapshot('columnar', 1, 100, 'log-1')]) {
      const state = stored?.state as ReturnType<typeof columnarState>;
      expect(state.label).toBe('columns');
      expect(Buffer.from(state.large).equals(Buffer.from(columnarState().large))).toBe(true);
    }
    await states.close();
  });
});
