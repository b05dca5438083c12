package ai.higress.session;

/** The target a session prefers: a provider id and its upstream model. */
public record StickyTarget(String provider, String model) {

    /** {@code provider/model}, as {@link ai.higress.provider.Target#label()} spells it. */
    public String label() {
        return provider + "/" + model;
    }
}
