package ai.higress.matrix;

import java.util.List;

/**
 * What the gateway sent an upstream, read back from the upstream's own wire format.
 *
 * @param path      the request path and query
 * @param model     the model the upstream was asked for (in the body or the path)
 * @param system    the system prompt, empty when none
 * @param lastUser  the text of the last user turn's text parts
 * @param maxTokens the output limit, 0 when none was sent
 * @param stop      the stop sequences
 * @param calls     the tool calls of the last assistant turn (ids empty where the protocol has none)
 * @param results   the tool results after them
 * @param images    each image as a {@code data:} URL (or the URL sent)
 * @param reasoning how reasoning was asked for, in the upstream's terms ({@code effort=low}, {@code budget=2048}),
 *                  empty when it was not
 */
public record Sent(String path, String model, String system, String lastUser, long maxTokens, List<String> stop,
                   List<Answer.Call> calls, List<Result> results, List<String> images, String reasoning) {

    /**
     * One tool result.
     *
     * @param callId the call it answers (empty where the protocol matches by name)
     * @param name   the tool's name where the protocol carries it, else empty
     * @param output the result text
     */
    public record Result(String callId, String name, String output) {
    }

    /** The call this result answers, by id, or by name where the protocol has no ids. */
    public Answer.Call callOf(Result result) {
        for (Answer.Call call : calls) {
            if (!result.callId().isEmpty() ? call.id().equals(result.callId()) : call.name().equals(result.name())) {
                return call;
            }
        }
        throw new AssertionError("no call for " + result + " in " + calls);
    }
}
