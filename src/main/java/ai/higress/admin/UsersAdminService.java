package ai.higress.admin;

import java.util.Locale;
import java.util.regex.Pattern;

import ai.higress.auth.PasswordHasher;
import ai.higress.auth.ServerSecret;
import ai.higress.schema.Json;
import ai.higress.storage.AdminRole;
import ai.higress.storage.AdminUserRepository;
import ai.higress.storage.AdminUserRow;
import ai.higress.storage.DuplicateKeyException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Logging in and out ({@code POST /admin/api/login}, {@code /logout}), who am I ({@code GET /admin/api/me}), admin
 * users ({@code /admin/api/users}), and {@code POST /system/secret-key/generate}, which returns a strong new server
 * secret for the operator to store and persists nothing.
 */
final class UsersAdminService implements HttpService {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final AdminSupport admin;
    private final AdminUserRepository users;
    private final PasswordHasher passwords;

    UsersAdminService(AdminSupport admin, AdminUserRepository users, PasswordHasher passwords) {
        this.admin = admin;
        this.users = users;
        this.passwords = passwords;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/admin/api/login", this::login)
                .post("/admin/api/logout", this::logout)
                .get("/admin/api/me", this::me)
                .get("/admin/api/users", this::list)
                .post("/admin/api/users", this::create)
                .patch("/admin/api/users/{username}", this::update)
                .delete("/admin/api/users/{username}", this::delete)
                .post("/system/secret-key/generate", this::generateSecret);
    }

    private void login(ServerRequest req, ServerResponse res) {
        AdminSupport.markRoute(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String username = body.requiredString("username");
        AdminAuthenticator.LoginResult session = admin.authenticator().login(username,
                body.requiredString("password").toCharArray());
        admin.audit(new AdminPrincipal(username, session.role() == AdminRole.ADMIN), "login", "admin_session",
                username, Json.object());
        ObjectNode node = Json.object();
        node.put("token", session.token());
        node.put("expires_at", session.expiresAt().toString());
        node.put("role", role(session.role()));
        AdminSupport.send(res, node);
    }

    private void logout(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.reader(req);
        admin.authenticator().logout(req);
        admin.audit(principal, "logout", "admin_session", principal.name(), Json.object());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.reader(req);
        ObjectNode node = Json.object();
        node.put("username", principal.name());
        node.put("role", principal.admin() ? "admin" : "viewer");
        AdminSupport.send(res, node);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        AdminSupport.send(res, AdminSupport.list(users.list(), UsersAdminService::render));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        String username = body.requiredString("username");
        if (!USERNAME.matcher(username).matches()) {
            throw AdminJson.invalid("username", "1-64 letters, digits or . _ @ -");
        }
        AdminRole role = role(body);
        String hash = passwords.hash(password(body));
        try {
            AdminUserRow row = users.insert(username, hash, role);
            admin.audit(principal, "create", "admin_user", username, roleDetails(role));
            AdminSupport.send(res, Status.CREATED_201, render(row));
        } catch (DuplicateKeyException e) {
            throw AdminSupport.conflict("An admin user '" + username + "' already exists.");
        }
    }

    private void update(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        String username = req.path().pathParameters().get("username");
        users.get(username).orElseThrow(() -> AdminSupport.notFound("admin user", username));
        AdminJson body = AdminJson.parse(AdminSupport.body(req));
        if (body.has("role")) {
            users.updateRole(username, role(body));
        }
        if (body.has("password")) {
            users.updatePasswordHash(username, passwords.hash(password(body)));
            users.deleteSessions(username);
        }
        body.optionalBoolean("disabled").ifPresent(disabled -> {
            users.setDisabled(username, disabled);
            if (disabled) {
                users.deleteSessions(username);
            }
        });
        admin.audit(principal, "update", "admin_user", username, fieldsChanged(body));
        AdminSupport.send(res, render(users.get(username).orElseThrow()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        String username = req.path().pathParameters().get("username");
        if (!users.delete(username)) {
            throw AdminSupport.notFound("admin user", username);
        }
        admin.audit(principal, "delete", "admin_user", username, Json.object());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void generateSecret(ServerRequest req, ServerResponse res) {
        AdminPrincipal principal = admin.writer(req);
        admin.audit(principal, "generate", "secret_key", "-", Json.object());
        ObjectNode node = Json.object();
        node.put("secret_key", ServerSecret.generate());
        node.put("note", "Nothing was stored or changed. Set it as SECRET_KEY to use it; see docs/admin-api.md for "
                + "rotating the secret.");
        AdminSupport.send(res, node);
    }

    private static char[] password(AdminJson body) {
        String password = body.requiredString("password");
        if (password.length() < PasswordHasher.MIN_LENGTH) {
            throw AdminJson.invalid("password", "at least " + PasswordHasher.MIN_LENGTH + " characters");
        }
        return password.toCharArray();
    }

    private static AdminRole role(AdminJson body) {
        String role = body.optionalString("role").orElse("viewer").toLowerCase(Locale.ROOT);
        return switch (role) {
            case "admin" -> AdminRole.ADMIN;
            case "viewer" -> AdminRole.VIEWER;
            default -> throw AdminJson.invalid("role", "'admin' or 'viewer'");
        };
    }

    private static String role(AdminRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode render(AdminUserRow row) {
        ObjectNode node = Json.object();
        node.put("username", row.username());
        node.put("role", role(row.role()));
        node.put("disabled", row.disabled());
        node.put("created_at", row.createdAt().toString());
        return node;
    }

    private static ObjectNode roleDetails(AdminRole role) {
        ObjectNode node = Json.object();
        node.put("role", role(role));
        return node;
    }

    private static ObjectNode fieldsChanged(AdminJson body) {
        ObjectNode node = Json.object();
        var fields = node.putArray("fields");
        body.raw().fieldNames().forEachRemaining(fields::add);
        return node;
    }
}
