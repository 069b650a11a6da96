import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ApiKey } from '@ledger/auth';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';

export type JobKind = 'audit' | 'rebuild';

export interface JobProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** A long piece of work started from the API, as `GET /jobs/{id}` shows it. */
export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  state: 'running' | 'done' | 'failed';
  progress: JobProgress;
  readonly request: unknown;
  readonly startedAt: string;
  finishedAt?: string;
  readonly startedBy: { readonly keyId: string; readonly name: string; readonly role: ApiKey['role'] };
  result?: unknown;
  error?: string;
}

/** Finished jobs kept for `GET /jobs/{id}`: the oldest go first. */
const KEPT_FINISHED = 100;

/**
 * The long pieces of work (audits, rebuilds) started from the API, run in the API process
 * itself and kept in its memory: a restart forgets them (a rebuild stopped midway resumes
 * from its last saved checkpoint at the next catch-up; an audit writes nothing). One job of
 * a kind runs at a time: a rebuild or an audit of the whole log holds a buffer of 32 bytes
 * an event and reads the whole log, and two at once would only slow each other.
 */
@Injectable()
export class JobsService implements BeforeApplicationShutdown {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /**
   * Starts `work` after this call returns (the 202 goes first); `work` reports its progress
   * through the function it is given, and its result becomes the job's.
   */
  start(kind: JobKind, startedBy: ApiKey, request: unknown, work: (progress: (phase: string, done: number, total: number) => void) => Promise<unknown>): Job {
    const busy = [...this.jobs.values()].find((j) => j.kind === kind && j.state === 'running');
    if (busy) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `another ${kind} job is running: ${busy.id}`, jobId: busy.id });
    }
    const job: Job = {
      id: randomUUID(),
      kind,
      state: 'running',
      progress: { phase: 'starting', done: 0, total: 0 },
      request,
      startedAt: this.clock().toISOString(),
      startedBy: { keyId: startedBy.id, name: startedBy.name, role: startedBy.role },
    };
    this.jobs.set(job.id, job);
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => work((phase, done, total) => (job.progress = { phase, done, total })))
      .then(
        (result) => {
          job.result = result;
          job.progress = { ...job.progress, phase: 'done', done: job.progress.total };
          job.state = 'done';
        },
        (error: unknown) => {
          job.error = error instanceof Error ? error.message : String(error);
          job.state = 'failed';
        },
      )
      .finally(() => {
        job.finishedAt = this.clock().toISOString();
        this.running.delete(job.id);
        this.forgetOldest();
      });
    this.running.set(job.id, run);
    return job;
  }

  /** A job as the caller may see it: its starter's role and admin see it; no one else learns it exists. */
  find(id: string, caller: ApiKey): Job | undefined {
    const job = this.jobs.get(id);
    return job && this.visible(job, caller) ? job : undefined;
  }

  /** The jobs the caller may see, latest first. */
  list(caller: ApiKey): Job[] {
    return [...this.jobs.values()].filter((job) => this.visible(job, caller)).reverse();
  }

  /** A stop waits for the running jobs: they read the store, which closes after this. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private visible(job: Job, caller: ApiKey): boolean {
    return caller.role === 'admin' || caller.role === job.startedBy.role;
  }

  private forgetOldest(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED))) this.jobs.delete(job.id);
  }
}
