package ai.higress.config;

/** Configuration that cannot be used. The message names the key and says what is wrong with it. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The full key of the offending setting, e.g. {@code providers.acme.base-url}. */
    public String key() {
        return key;
    }

    /** What is wrong with it, without the key. */
    public String problem() {
        return problem;
    }
}
