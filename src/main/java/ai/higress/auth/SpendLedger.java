package ai.higress.auth;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each client key has spent so far, in US dollars: loaded from the request log at start-up and increased as
 * usage is recorded, so a budget check costs a map lookup, not a query.
 */
public final class SpendLedger {
    private final Map<String, BigDecimal> spent = new ConcurrentHashMap<>();

    public void load(Map<String, BigDecimal> totals) {
        spent.clear();
        spent.putAll(totals);
    }

    /** Replaces one key's total with the value from the request log, unless more was spent here already. */
    public void set(String keyId, BigDecimal total) {
        spent.merge(keyId, total, (mine, logged) -> mine.max(logged));
    }

    public void add(String keyId, BigDecimal cost) {
        if (cost.signum() > 0) {
            spent.merge(keyId, cost, BigDecimal::add);
        }
    }

    public BigDecimal spent(String keyId) {
        return spent.getOrDefault(keyId, BigDecimal.ZERO);
    }
}
