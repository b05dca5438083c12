/**
 * The request and usage log, kept off the request's critical path: a finished request hands one
 * {@link ai.higress.usage.UsageRecord} to the {@link ai.higress.usage.UsageRecorder}'s bounded queue without ever
 * blocking; one virtual thread drains it into batched inserts. When the database is down, records buffer up to the
 * bound and further ones are dropped and counted; recording resumes by itself; a graceful stop drains the queue.
 */
package ai.higress.usage;
