package ai.higress.matrix;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a client read from one answer, whatever its dialect.
 *
 * @param text      the answer text
 * @param reasoning the model's reasoning (thinking) text, empty when there was none
 * @param stop      why the answer ended
 * @param usage     the token counts the client was given
 * @param calls     the tool calls, in order
 * @param replay    what the client sends back to continue: the assistant message (chat), its content blocks
 *                  (Messages) or the response id (Responses)
 */
public record Answer(String text, String reasoning, Stop stop, Tokens usage, List<Call> calls, JsonNode replay) {

    /** Why an answer ended, in a vocabulary every dialect maps onto. */
    public enum Stop { END, MAX_TOKENS, TOOL_USE, REFUSAL }

    /**
     * Token counts as a client reads them, normalised: {@code input} counts every input token, those read from and
     * written to a prompt cache included.
     */
    public record Tokens(long input, long cached, long cacheWrites, long output) {
    }

    /**
     * One tool call as the client assembled it.
     *
     * @param id        the id the client answers it with
     * @param name      the tool's name
     * @param arguments the arguments, parsed
     * @param fragments how many non-empty pieces the arguments arrived in (1 for a complete answer)
     */
    public record Call(String id, String name, JsonNode arguments, int fragments) {
    }
}
