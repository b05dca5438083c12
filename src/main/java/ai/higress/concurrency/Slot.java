package ai.higress.concurrency;

/**
 * What one attempt would occupy: a place under its provider's cap, and under its key's cap when the key has one.
 *
 * @param provider    provider id
 * @param providerCap the provider's {@code max-concurrency}
 * @param key         provider key id ({@code provider#index})
 * @param keyCap      the key's own cap; 0 for none
 */
public record Slot(String provider, int providerCap, String key, int keyCap) {

    public boolean keyCapped() {
        return keyCap > 0;
    }
}
