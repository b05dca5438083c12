package ai.higress.provider;

import ai.higress.schema.RequestFeatures;

/** What a target can do; the router skips a target that lacks something the request needs. */
public record Capabilities(boolean tools, boolean vision, boolean jsonMode, boolean streaming) {
    public static final Capabilities ALL = new Capabilities(true, true, true, true);

    public boolean supports(RequestFeatures needed) {
        return (!needed.tools() || tools) && (!needed.vision() || vision) && (!needed.jsonMode() || jsonMode)
                && (!needed.streaming() || streaming);
    }
}
