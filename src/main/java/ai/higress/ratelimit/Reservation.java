package ai.higress.ratelimit;

/**
 * Tokens reserved by an admitted request, reconciled with its real usage afterwards.
 *
 * @param key    the limited key
 * @param id     the reservation's unique id
 * @param tokens the tokens reserved
 */
public record Reservation(String key, String id, long tokens) {
}
