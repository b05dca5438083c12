package ai.higress.mock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the mock answers, already cut into the pieces it streams: words of a text reply, or fragments of the JSON
 * arguments of one tool call. Every piece counts as one completion token.
 */
sealed interface Answer permits Answer.Text, Answer.ToolCall {

    int QUOTED_CODE_POINTS = 200;
    int ARGUMENT_FRAGMENT_CODE_POINTS = 4;
    // A word with the whitespace before it, or whitespace that ends the text: concatenating the pieces gives the text.
    Pattern WORD_WITH_LEADING_SPACE = Pattern.compile("\\s*\\S+|\\s+");

    List<String> pieces();

    boolean truncated();

    String finishReason();

    /** This answer cut to at most {@code maxPieces} pieces, marked truncated when something was cut. */
    Answer limitTo(int maxPieces);

    static Text text(String lastUserText) {
        String quoted = lastUserText.codePoints().limit(QUOTED_CODE_POINTS)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String reply = "Hello from the AI-Higress demo provider. You said: \"" + quoted + "\"";
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD_WITH_LEADING_SPACE.matcher(reply);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return new Text(words, false);
    }

    static ToolCall toolCall(String callId, String functionName, String argumentsJson) {
        List<String> fragments = new ArrayList<>();
        int[] codePoints = argumentsJson.codePoints().toArray();
        for (int start = 0; start < codePoints.length; start += ARGUMENT_FRAGMENT_CODE_POINTS) {
            int count = Math.min(ARGUMENT_FRAGMENT_CODE_POINTS, codePoints.length - start);
            fragments.add(new String(codePoints, start, count));
        }
        return new ToolCall(callId, functionName, fragments, false);
    }

    record Text(List<String> pieces, boolean truncated) implements Answer {
        public Text {
            pieces = List.copyOf(pieces);
        }

        String content() {
            return String.join("", pieces);
        }

        @Override
        public String finishReason() {
            return truncated ? "length" : "stop";
        }

        @Override
        public Text limitTo(int maxPieces) {
            return pieces.size() <= maxPieces ? this : new Text(pieces.subList(0, maxPieces), true);
        }
    }

    record ToolCall(String callId, String functionName, List<String> pieces, boolean truncated) implements Answer {
        public ToolCall {
            pieces = List.copyOf(pieces);
        }

        String arguments() {
            return String.join("", pieces);
        }

        /**
         * The arguments as the JSON object that protocols without argument strings (Anthropic's {@code input},
         * Gemini's {@code args}) carry; arguments cut short by the token limit are no object, so an empty one.
         */
        JsonNode argumentsObject(ObjectMapper json) {
            try {
                JsonNode arguments = json.readTree(arguments());
                return arguments != null && arguments.isObject() ? arguments : json.createObjectNode();
            } catch (IOException e) {
                return json.createObjectNode();
            }
        }

        @Override
        public String finishReason() {
            return truncated ? "length" : "tool_calls";
        }

        @Override
        public ToolCall limitTo(int maxPieces) {
            return pieces.size() <= maxPieces
                    ? this
                    : new ToolCall(callId, functionName, pieces.subList(0, maxPieces), true);
        }
    }
}
