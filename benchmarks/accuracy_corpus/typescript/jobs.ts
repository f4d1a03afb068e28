// Background jobs: hand-written accuracy example (markers are the truth).

export interface Job {
  run(): Promise<void>;
}

export class Mailer {
  // ok: async-await
  async send(to: string, body: string): Promise<void> {
    console.log(`mail ${to}: ${body}`);
  }
}

// expect: command
export class SendWelcomeMail implements Job {
  constructor(private readonly mailer: Mailer, private readonly user: string) {}

  // expect: async-await
  async run(): Promise<void> {
    await this.mailer.send(this.user, "Welcome!");
  }
}

// expect: command
export class SendInvoiceMail implements Job {
  constructor(private readonly mailer: Mailer, private readonly invoiceId: string) {}

  // expect: async-await
  async run(): Promise<void> {
    await this.mailer.send("billing@example.com", `invoice ${this.invoiceId}`);
  }
}

// expect: iterator
export class JobBatch {
  private index = 0;

  constructor(private readonly jobs: Job[]) {}

  next(): IteratorResult<Job> {
    if (this.index < this.jobs.length) {
      return { value: this.jobs[this.index++], done: false };
    }
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): Iterator<Job> {
    return this;
  }
}

class Connection {
  constructor(readonly url: string) {}
  close(): void {}
}

// expect: object-pool
export class ConnectionPool {
  private readonly idle: Connection[] = [];

  constructor(private readonly url: string) {}

  acquire(): Connection {
    return this.idle.pop() ?? new Connection(this.url);
  }

  release(connection: Connection): void {
    this.idle.push(connection);
  }
}

// expect: multiton
export class Queue {
  private static readonly queues = new Map<string, Queue>();

  private constructor(readonly name: string) {}

  static named(name: string): Queue {
    let queue = Queue.queues.get(name);
    if (!queue) {
      queue = new Queue(name);
      Queue.queues.set(name, queue);
    }
    return queue;
  }
}

// expect: prototype
export class JobTemplate {
  constructor(public readonly retries: number, public readonly timeoutMs: number) {}

  clone(): JobTemplate {
    return new JobTemplate(this.retries, this.timeoutMs);
  }
}

// expect: visitor
export interface JobVisitor {
  visitMail(job: MailJob): void;
  visitCleanup(job: CleanupJob): void;
}

export class MailJob {
  accept(visitor: JobVisitor): void {
    visitor.visitMail(this);
  }
}

export class CleanupJob {
  accept(visitor: JobVisitor): void {
    visitor.visitCleanup(this);
  }
}

export class CostEstimator implements JobVisitor {
  total = 0;

  visitMail(job: MailJob): void {
    this.total += 1;
  }

  visitCleanup(job: CleanupJob): void {
    this.total += 5;
  }
}

// expect: template-method
export abstract class ScheduledJob {
  // expect: async-await
  async execute(): Promise<void> {
    await this.prepare();
    await this.work();
    this.report();
  }

  protected async prepare(): Promise<void> {}

  protected abstract work(): Promise<void>;

  protected report(): void {
    console.log("done");
  }
}

export class NightlyCleanup extends ScheduledJob {
  protected async work(): Promise<void> {
    console.log("cleaning");
  }
}

export class Scheduler {
  private clock?: Date;

  // expect: lazy-initialization
  get startedAt(): Date {
    if (this.clock === undefined) {
      this.clock = new Date();
    }
    return this.clock;
  }
}

// expect: long-parameter-list
export function schedule(name: string, cron: string, retries: number, timeoutMs: number, queue: string, owner: string): string {
  return [name, cron, retries, timeoutMs, queue, owner].join(" ");
}

// expect: flag-argument
export function describe(job: Job, detailed: boolean): string {
  if (detailed) {
    return JSON.stringify(job);
  } else {
    return job.constructor.name;
  }
}

// expect: deep-nesting
export function retryPlan(jobs: Job[][], limits: number[]): number {
  let planned = 0;
  for (const group of jobs) {
    for (const job of group) {
      if (job !== undefined) {
        for (const limit of limits) {
          if (limit > planned) {
            while (planned < limit) {
              planned++;
            }
          }
        }
      }
    }
  }
  return planned;
}

// expect: async-await
export async function runAll(jobs: Job[]): Promise<number> {
  let done = 0;
  for (const job of jobs) {
    await job.run();
    done++;
  }
  return done;
}
