package ai.higress.session;

import ai.higress.config.SessionText;

/**
 * The key a session belongs to, as the session store needs it.
 *
 * @param keyId   the key's id: sessions are namespaced by it
 * @param keyName the key's name, shown by the admin listing
 * @param text    whether the key's snippets keep message text
 */
public record SessionOwner(String keyId, String keyName, SessionText text) {
}
