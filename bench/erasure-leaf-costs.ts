/**
 * What a leaf that survives erasure costs per event (issue 15, docs/signed-checkpoints.md):
 * a salted SHA-256 commitment to the personal part of each event, against AES-256-GCM
 * encryption of it under a per-learner key (crypto-shredding). Prints figures, asserts
 * nothing. Built with the project (`npm run build`), then:
 *
 *   node dist/bench/erasure-leaf-costs.js      ERASURE_BENCH_EVENTS=1000000 ERASURE_BENCH_ROUNDS=3
 *
 * Every variant runs over the same synthetic payloads (~300 B of canonical JSON each), in
 * interleaved rounds (the machine is shared); the median round is quoted, in process CPU
 * time (and wall time beside it).
 */
import { createCipheriv, createDecipheriv, createHash, hash as oneShotHash, randomFillSync } from 'node:crypto';
import { loadavg } from 'node:os';
import { canonicalJson } from '@ledger/integrity';
import { median } from './bench-support';

const EVENTS = Number(process.env.ERASURE_BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.ERASURE_BENCH_ROUNDS ?? 3);
const LEARNERS = Math.max(1, Math.floor(EVENTS / 7)); // the demo's ratio of events to learners
const SALT_BYTES = 32;
const IV_BYTES = 12;
const RANDOM_CHUNK = 65_536; // events whose salts or IVs one randomFillSync call draws

interface Workload {
  /** The personal part of each event, canonical JSON text (as the ledger holds it): what erasure must remove. */
  readonly payloads: readonly string[];
  /** The part that stays after erasure (position, type, recordedAt), as the v2 record's members. */
  readonly publicParts: readonly string[];
  readonly learnerOf: Uint32Array;
  readonly meanPayloadBytes: number;
}

function workload(): Workload {
  const payloads: string[] = [];
  const publicParts: string[] = [];
  const learnerOf = new Uint32Array(EVENTS);
  let bytes = 0;
  const motivations = ['first-job', 'career-development', 'career-change', 'learning-for-fun'];
  for (let i = 0; i < EVENTS; i++) {
    const learner = (i * 2_654_435_761) % LEARNERS;
    learnerOf[i] = learner;
    const learnerId = `L-${learner.toString(36).padStart(6, '0')}`;
    const payload = canonicalJson({
      data: {
        country: i % 3 === 0 ? 'SN' : 'FR',
        gender: i % 2 === 0 ? 'female' : 'undisclosed',
        motivation: motivations[i % motivations.length] ?? 'other',
        // Half the answers carry a status assessment (optional in EVENTS.md).
        statusAssessment: i % 2 === 0 ? { assessed: ['disability', 'job-seeker'], held: i % 5 === 0 ? ['disability'] : ['job-seeker'] } : undefined,
        surveyResponseId: `S-${i}`,
      },
      eventId: `${(i * 40503).toString(16).padStart(8, '0')}-${(i % 65536).toString(16).padStart(4, '0')}-4a1b-9c2d-${i.toString(16).padStart(12, '0')}`,
      learnerId,
      occurredAt: `2020-03-${String(1 + (i % 28)).padStart(2, '0')}T09:15:00+01:00`,
      streamId: `learner-${learnerId}`,
      streamRevision: i % 40,
    });
    payloads.push(payload);
    bytes += Buffer.byteLength(payload, 'utf8');
    publicParts.push(`"position":${i + 1},"recordedAt":"2020-03-29T10:00:00.000Z","type":"SignupSurveyAnswered","v":2`);
  }
  return { payloads, publicParts, learnerOf, meanPayloadBytes: bytes / EVENTS };
}

interface Timing {
  readonly wall: number;
  /** Process CPU seconds (user + system, all threads): less sensitive than wall time to other processes on a shared machine. */
  readonly cpu: number;
}

/** One measured pass: calls `step(i)` for every event. */
function pass(step: (i: number) => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) step(i);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** Random bytes drawn in chunks, as a store would (one system call per 64 Ki events). */
function randomStream(width: number): (i: number) => Buffer {
  const pool = Buffer.alloc(width * RANDOM_CHUNK);
  return (i) => {
    const slot = i % RANDOM_CHUNK;
    if (slot === 0) randomFillSync(pool);
    return pool.subarray(slot * width, (slot + 1) * width);
  };
}

function main(): void {
  const t0 = process.hrtime.bigint();
  const w = workload();
  console.log(`${EVENTS.toLocaleString('en')} payloads, mean ${w.meanPayloadBytes.toFixed(0)} B, ${LEARNERS.toLocaleString('en')} learners; built in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
  const learnerKeys = Array.from({ length: LEARNERS }, () => randomFillSync(Buffer.alloc(32)));

  // What the stores keep, filled by the write passes and read back by the read passes.
  const salts = Buffer.alloc(EVENTS * SALT_BYTES);
  const ivs = Buffer.alloc(EVENTS * IV_BYTES);
  const ciphertexts: Buffer[] = new Array<Buffer>(EVENTS);
  const tags: Buffer[] = new Array<Buffer>(EVENTS);
  const scratch = Buffer.alloc(SALT_BYTES + 4096);
  let sink = 0; // keeps results alive

  const variants: Record<string, () => Timing> = {
    // Today's leaf (v1): SHA-256(0x00 || canonical record), the payload inside the record.
    'v1 leaf (payload inside, no salt)': () =>
      pass((i) => {
        const payload = w.payloads[i] as string;
        sink ^= oneShotHash('sha256', `\u0000{${w.publicParts[i]},${payload.slice(1)}`, 'buffer')[0] as number;
      }),
    // Proposed leaf (v2): salt, commitment = SHA-256(salt || payload), then the leaf of the public part and the commitment.
    'salted commitment + v2 leaf (write)': () => {
      const salt = randomStream(SALT_BYTES);
      return pass((i) => {
        const s = salt(i);
        s.copy(salts, i * SALT_BYTES);
        s.copy(scratch, 0);
        const length = scratch.write(w.payloads[i] as string, SALT_BYTES, 'utf8');
        const commitment = oneShotHash('sha256', scratch.subarray(0, SALT_BYTES + length), 'hex');
        sink ^= oneShotHash('sha256', `\u0000{"commitment":"${commitment}",${w.publicParts[i]}}`, 'buffer')[0] as number;
      });
    },
    // Reading back: the payload is stored in clear, so a replay reads it as today; `verify`
    // recomputes the commitment and the leaf from the stored salt.
    'salted commitment + v2 leaf (verify)': () =>
      pass((i) => {
        salts.copy(scratch, 0, i * SALT_BYTES, (i + 1) * SALT_BYTES);
        const length = scratch.write(w.payloads[i] as string, SALT_BYTES, 'utf8');
        const commitment = oneShotHash('sha256', scratch.subarray(0, SALT_BYTES + length), 'hex');
        sink ^= oneShotHash('sha256', `\u0000{"commitment":"${commitment}",${w.publicParts[i]}}`, 'buffer')[0] as number;
      }),
    // Crypto-shredding: AES-256-GCM under the learner's key, fresh 96-bit IV; the leaf commits to IV, ciphertext and tag.
    'AES-256-GCM per learner + leaf (write)': () => {
      const iv = randomStream(IV_BYTES);
      return pass((i) => {
        const v = iv(i);
        v.copy(ivs, i * IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', learnerKeys[w.learnerOf[i] as number] as Buffer, v);
        const ciphertext = cipher.update(w.payloads[i] as string, 'utf8');
        cipher.final();
        const tag = cipher.getAuthTag();
        ciphertexts[i] = ciphertext;
        tags[i] = tag;
        sink ^= createHash('sha256').update(`\u0000{${w.publicParts[i]}}`).update(v).update(ciphertext).update(tag).digest()[0] as number;
      });
    },
    // Every replay of a projection must decrypt every payload it reads.
    'AES-256-GCM per learner (decrypt on read)': () =>
      pass((i) => {
        const decipher = createDecipheriv('aes-256-gcm', learnerKeys[w.learnerOf[i] as number] as Buffer, ivs.subarray(i * IV_BYTES, (i + 1) * IV_BYTES));
        decipher.setAuthTag(tags[i] as Buffer);
        const plain = decipher.update(ciphertexts[i] as Buffer);
        decipher.final();
        sink ^= plain.toString('utf8').length; // a projection parses text
      }),
  };

  const names = Object.keys(variants);
  const timings = new Map<string, Timing[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      const run = variants[name] as () => Timing;
      (timings.get(name) as Timing[]).push(run());
    }
    console.log(`round ${round + 1}/${ROUNDS} done (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  }

  const cpuOf = (name: string) => median((timings.get(name) as Timing[]).map((t) => t.cpu));
  const wallOf = (name: string) => median((timings.get(name) as Timing[]).map((t) => t.wall));
  const baseline = cpuOf(names[0] as string);
  console.log('\n| variant | CPU per event | events/s (CPU) | payload MB/s (CPU) | vs v1 leaf | wall per event |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const name of names) {
    const cpu = cpuOf(name);
    const mbps = (w.meanPayloadBytes * EVENTS) / cpu / 1e6;
    console.log(
      `| ${name} | ${((cpu / EVENTS) * 1e9).toFixed(0)} ns | ${Math.round(EVENTS / cpu).toLocaleString('en')} | ${mbps.toFixed(0)} | ` +
        `${(cpu / baseline).toFixed(2)}x | ${((wallOf(name) / EVENTS) * 1e9).toFixed(0)} ns |`,
    );
  }
  console.log(`\nrounds, CPU s: ${names.map((n) => `${n}: ${(timings.get(n) as Timing[]).map((t) => t.cpu.toFixed(2)).join('/')}`).join('; ')}`);
  console.log(`storage per event: salted ${SALT_BYTES} B salt + 32 B commitment; GCM ${IV_BYTES} B IV + 16 B tag (+ 32 B key per learner)`);
  if (sink === 0.5) console.log(''); // never true; keeps `sink` observable
}

main();
