package ai.higress.admin;

import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

import java.util.Optional;

/**
 * Who is calling the admin API.
 *
 * @param name  the admin user, or {@code break-glass} for the environment token
 * @param admin whether it may change things ({@code admin} role); viewers may only read
 */
public record AdminPrincipal(String name, boolean admin) {
    public static final String BREAK_GLASS = "break-glass";

    /** Refuses read-only principals. */
    public void requireAdmin() {
        if (!admin) {
            throw new GatewayException(403, ErrorType.PERMISSION, "This action needs the admin role; '" + name
                    + "' is a viewer.", Optional.empty(), Optional.of("insufficient_role"));
        }
    }
}
