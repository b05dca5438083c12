package ai.higress.mock;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * The wire protocol a request to the mock speaks, decided by its path alone (and, for the model list that OpenAI and
 * Anthropic share, by Anthropic's version header): it picks the credential header the key check reads and the error
 * envelope every failure is written in.
 */
enum Dialect {
    OPENAI,
    ANTHROPIC,
    GEMINI;

    static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");
    static final String GEMINI_ROOT = "/v1beta";
    static final String MESSAGES = "/v1/messages";
    private static final String MODELS = "/v1/models";

    static Dialect of(ServerRequest req) {
        String path = req.path().path();
        if (path.equals(GEMINI_ROOT) || path.startsWith(GEMINI_ROOT + "/")) {
            return GEMINI;
        }
        if (path.equals(MESSAGES) || path.startsWith(MESSAGES + "/")) {
            return ANTHROPIC;
        }
        boolean modelList = path.equals(MODELS) || path.startsWith(MODELS + "/");
        return modelList && req.headers().contains(ANTHROPIC_VERSION) ? ANTHROPIC : OPENAI;
    }
}
