import { Type } from '@sinclair/typebox';
import { Nullable, OneOf, Shape, Timestamp, View } from '../http/answers';

export const JobsOverview = View(
  'JobsOverview',
  Shape({
    runner: OneOf(['bullmq', 'in-process'] as const),
    runningHere: Type.Boolean({ description: 'whether this process runs the jobs (with BullMQ the workers may be elsewhere)' }),
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'jobs by state' }),
    schedules: Type.Array(Shape({ job: Type.String(), everySeconds: Type.Integer(), next: Nullable(Timestamp()) })),
    lastFailures: Type.Array(
      Shape({ job: Type.String(), id: Nullable(Type.String()), attemptsMade: Type.Integer(), reason: Type.String(), failedAt: Nullable(Timestamp()) }),
    ),
  }),
);

/** A job run asked for: queued (with its id) for a worker, or started here (id null). */
export const JobTriggered = View('JobTriggered', Shape({ job: Type.String(), id: Nullable(Type.String()) }));

const DependencyCheck = Shape({
  status: OneOf(['up', 'down'] as const),
  mode: Type.Optional(OneOf(['single-instance', 'shared'] as const)),
});
const Checks = Type.Record(Type.String(), DependencyCheck);

/** `ok`; `degraded` (200) when Redis is configured but unreachable; `error` (503) when the database is down. */
export const Health = View(
  'Health',
  Shape({ status: OneOf(['ok', 'degraded', 'error'] as const), info: Checks, error: Checks, details: Checks }),
);
