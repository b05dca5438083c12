package ai.higress.routing;

/**
 * A model id a client can ask for, as listed by {@code /v1/models}.
 *
 * @param id      the id to send as {@code model}
 * @param ownedBy who serves it: {@code ai-higress} for logical models, else the provider id
 */
public record ModelEntry(String id, String ownedBy) {
}
