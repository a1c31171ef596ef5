export { JobsModule, runsJobs } from './jobs.module';
export type { JobsHost } from './jobs.module';
export { JobCatalogue } from './job-catalogue';
export type { JobDefinition, JobResult } from './job-catalogue';
export { JobRunner, JobsError, JOB_ATTEMPTS, JOB_BACKOFF_MS } from './job-runner';
export type { JobsOverview, JobFailure } from './job-runner';
export { BullJobRunner, JOBS_QUEUE } from './bullmq-runner';
export { InProcessJobRunner } from './in-process-runner';
