package ai.higress.mock;

/**
 * The parts of a chat completion request the mock acts on, validated, with the answer it will give.
 *
 * @param model        the requested model id, echoed back in the response
 * @param promptTokens estimated prompt size: one token per four characters of message text, at least one
 * @param stream       whether the client asked for server-sent events
 * @param includeUsage whether a streaming client asked for a final usage chunk
 * @param choices      how many identical choices to return ({@code n})
 * @param answer       the answer of every choice, already cut to {@code max_tokens}
 */
record ChatRequest(String model, int promptTokens, boolean stream, boolean includeUsage, int choices, Answer answer) {

    int completionTokens() {
        return choices * answer.pieces().size();
    }
}
