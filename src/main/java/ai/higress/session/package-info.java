/**
 * Conversation sessions ({@code X-Session-Id}): bounded snippets of recent turns and a sticky target per session,
 * namespaced by the caller's key, kept in Redis when one is configured and in this process otherwise.
 */
package ai.higress.session;
