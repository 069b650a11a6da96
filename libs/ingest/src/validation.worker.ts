/**
 * A worker thread that checks the shape of the events of one slice of an NDJSON file.
 * It answers only the errors (a few objects), never the events: the main thread parses
 * the file itself, which costs less than copying parsed events between threads. Duplicate
 * keys are looked for here, not by the main thread, whose work is the import's longest.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { eventIdOf } from '@ledger/events';
import { validateEvent } from '@ledger/events';
import { duplicateKeyRejection } from './ndjson-file';
import type { SliceResult, SliceTask } from './parallel-validation';

const task = workerData as SliceTask;
const now = new Date(task.now);
const errors: SliceResult['errors'] = [];
const duplicateKeys: SliceResult['duplicateKeys'] = [];
let line = task.firstLine - 1;
let start = 0;
let checked = 0;
while (start < task.text.length) {
  const end = task.text.indexOf('\n', start);
  const stop = end === -1 ? task.text.length : end;
  line += 1;
  const text = task.text.slice(start, stop).trim();
  start = stop + 1;
  if (text === '') continue;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    continue; // the main thread reports lines that are not JSON
  }
  const id = eventIdOf(raw);
  const eventId = id !== undefined ? { eventId: id } : {};
  const duplicate = duplicateKeyRejection(text, raw);
  if (duplicate) duplicateKeys.push({ line, ...eventId, ...duplicate });
  const result = validateEvent(raw, now);
  if (!result.ok) for (const e of result.errors) errors.push({ line, ...eventId, ...e });
  checked += 1;
  if (checked % 5000 === 0) parentPort?.postMessage({ checked: 5000 });
}
parentPort?.postMessage({ checked: checked % 5000, result: { duplicateKeys, errors } } satisfies { checked: number; result: SliceResult });
