package ai.higress.provider.gemini;

import java.util.regex.Pattern;

/**
 * What the gateway infers from a Gemini model name. The API does not say which generation a model belongs to, and the
 * generations differ: Gemini 2.x and older take a thinking budget in tokens and accept a replayed function call
 * without a thought signature; Gemini 3 and later take a thinking level and reject such a replay. A name this class
 * does not recognise as old is treated as new, so models released later get the current behaviour.
 */
final class GeminiModels {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern OLD_GENERATION = Pattern.compile("gemini-(1|2)(\\.\\d+)?-.*");

    private GeminiModels() {
    }

    /** The model's name without the {@code models/} prefix Gemini's own listings carry. */
    static String bareName(String model) {
        return model.startsWith("models/") ? model.substring("models/".length()) : model;
    }

    /**
     * The request path of {@code model} relative to the provider's base URL.
     *
     * @throws ai.higress.error.UpstreamException (400, param {@code model}) when the name could change the path
     */
    static String path(String model, boolean stream) {
        return "/models/" + checkedName(model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    /** The {@code batchEmbedContents} path of {@code model}, checked as {@link #path} is. */
    static String batchEmbedPath(String model) {
        return "/models/" + checkedName(model) + ":batchEmbedContents";
    }

    private static String checkedName(String model) {
        String name = bareName(model);
        if (!NAME.matcher(name).matches()) {
            throw Refusals.invalid("model", "'" + model + "' is not a Gemini model name (letters, digits, '.', '_' "
                    + "and '-').");
        }
        return name;
    }

    static boolean takesThinkingBudget(String model) {
        return OLD_GENERATION.matcher(bareName(model)).matches();
    }

    static boolean requiresThoughtSignatures(String model) {
        return bareName(model).startsWith("gemini-") && !takesThinkingBudget(model);
    }
}
