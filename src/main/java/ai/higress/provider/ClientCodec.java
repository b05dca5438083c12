package ai.higress.provider;

import ai.higress.schema.ChatRequest;

/**
 * Turns canonical (OpenAI chat) answers into one client dialect. Stateless and free of I/O, like the adapters; the
 * ingress endpoint of that dialect owns the request direction.
 */
public interface ClientCodec {

    /** {@code result}, an OpenAI chat completion, as the client's protocol answers {@code request}. */
    ChatResult fromChat(ChatRequest request, ChatResult result);

    /**
     * A translator that feeds {@code upstream}'s OpenAI chat chunks through and emits the client's event sequence,
     * including its terminal event and its in-stream error event.
     */
    StreamTranslator fromChatStream(ChatRequest request, StreamTranslator upstream);
}
