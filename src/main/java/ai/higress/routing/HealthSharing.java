package ai.higress.routing;

import java.time.Duration;

/**
 * Where a replica's own circuit transitions go so that other replicas can apply them (shared health through Redis).
 * Called on the request path right after the transition: implementations must not block.
 */
public interface HealthSharing {
    HealthSharing NONE = new HealthSharing() {
        @Override
        public void opened(Scope scope, String id, Duration cooldown, String reason) {
        }

        @Override
        public void closed(Scope scope, String id) {
        }
    };

    /** What a circuit belongs to. */
    enum Scope {
        /** A target, by its label {@code provider/model}. */
        TARGET,
        /** A provider key, by its id {@code provider#index}. */
        KEY;

        public String tag() {
            return name().toLowerCase();
        }
    }

    /** A circuit opened here (or its cooldown was extended) for {@code cooldown} from now, with its reason. */
    void opened(Scope scope, String id, Duration cooldown, String reason);

    /** A circuit closed here: its probe succeeded. */
    void closed(Scope scope, String id);
}
