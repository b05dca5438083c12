/**
 * The canonical request and response records every ingress is decoded into and every adapter translates from, plus
 * the one configured Jackson {@code ObjectMapper}. The canonical chat request is the OpenAI chat-completions JSON,
 * validated once at the edge and kept as a tree so the same-protocol fast path only edits {@code model}. No I/O here.
 */
package ai.higress.schema;
