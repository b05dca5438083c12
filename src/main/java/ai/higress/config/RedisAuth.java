package ai.higress.config;

/**
 * Credentials for Redis {@code AUTH}: a password alone (Redis before 6, or the default user), or an ACL user and its
 * password.
 *
 * @param username ACL user; empty for the default user
 * @param password empty when the server needs no password
 */
public record RedisAuth(String username, Secret password) {
    public static final RedisAuth NONE = new RedisAuth("", Secret.of(""));

    public boolean present() {
        return !password.reveal().isEmpty();
    }

    @Override
    public String toString() {
        return present() ? (username.isEmpty() ? "password" : "user " + username) : "none";
    }
}
