/**
 * Observability by construction: every request gets one {@link ai.higress.observe.Exchange} that collects its
 * attempts, usage and timings, and ends with exactly one {@link ai.higress.observe.Outcome}, which produces one
 * access-log line, one set of metric updates (low-cardinality tags only: route, model alias, provider, outcome) and
 * one JFR event, plus a JFR event per upstream attempt. Prompt and completion text is never recorded here.
 */
package ai.higress.observe;
