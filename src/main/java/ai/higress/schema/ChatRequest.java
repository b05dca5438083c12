package ai.higress.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated chat request in canonical (OpenAI chat-completions) form, with the body the client actually sent.
 *
 * @param model          the model the client asked for (logical, {@code provider/model} or bare upstream name)
 * @param stream         whether the client asked for server-sent events
 * @param includeUsage   whether the client asked for the usage chunk ({@code stream_options.include_usage})
 * @param features       what the request needs from a target
 * @param body           the canonical body; adapters copy it before editing, it is never mutated
 * @param clientProtocol the dialect the client spoke and expects back
 * @param clientBody     the body as the client sent it; the same object as {@code body} for OpenAI chat clients. An
 *                       adapter whose upstream speaks {@code clientProtocol} relays this instead of translating
 */
public record ChatRequest(String model, boolean stream, boolean includeUsage, RequestFeatures features,
                          ObjectNode body, WireProtocol clientProtocol, ObjectNode clientBody) {

    /** A request from an OpenAI chat-completions client. */
    public ChatRequest(String model, boolean stream, boolean includeUsage, RequestFeatures features, ObjectNode body) {
        this(model, stream, includeUsage, features, body, WireProtocol.OPENAI_CHAT, body);
    }

    /** This canonical request as translated from {@code original}, a body in {@code protocol}. */
    public ChatRequest fromClient(WireProtocol protocol, ObjectNode original) {
        return new ChatRequest(model, stream, includeUsage, features, body, protocol, original);
    }

    /** Whether an upstream speaking {@code upstream} can be sent the client's own body untouched. */
    public boolean nativeTo(WireProtocol upstream) {
        return clientProtocol == upstream && clientProtocol != WireProtocol.OPENAI_CHAT;
    }
}
