package ai.higress.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated chat-completions request in canonical (OpenAI) form.
 *
 * @param model        the model the client asked for (logical, {@code provider/model} or bare upstream name)
 * @param stream       whether the client asked for server-sent events
 * @param includeUsage whether the client asked for the usage chunk ({@code stream_options.include_usage})
 * @param features     what the request needs from a target
 * @param body         the parsed body; adapters copy it before editing, it is never mutated
 */
public record ChatRequest(String model, boolean stream, boolean includeUsage, RequestFeatures features,
                          ObjectNode body) {
}
