/** Background jobs: the job system, its queue and the job names. */
export { createJobSystem, type JobSystem, type JobSystemOptions } from './system.js';
export { type JobQueue } from './queue.js';
export { type JobView, type JobsAdminView, type FailedJobView, type JobStatus } from './views.js';
export * from './names.js';
