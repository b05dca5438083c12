package ai.higress.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.higress.error.GatewayException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Serves the static admin UI from the jar ({@code admin-web/}) at {@code /admin/}, with a strict content security
 * policy: the page only talks to this origin and runs no inline script.
 */
final class AdminUiService implements HttpService {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "admin.js", "text/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin", (req, res) -> {
            res.status(io.helidon.http.Status.MOVED_PERMANENTLY_301);
            res.header(HeaderNames.LOCATION, "/admin/");
            res.send();
        });
        rules.get("/admin/", (req, res) -> serve("index.html", res));
        // browsers ask for it on every page; there is none, and asking must not need a key
        rules.get("/favicon.ico", (req, res) -> res.status(io.helidon.http.Status.NO_CONTENT_204).send());
        rules.get("/admin/{file}", this::file);
    }

    private void file(ServerRequest req, ServerResponse res) {
        serve(req.path().pathParameters().get("file"), res);
    }

    private void serve(String name, ServerResponse res) {
        String contentType = FILES.get(name);
        if (contentType == null) {
            throw GatewayException.notFound("No admin UI file '" + name + "'.");
        }
        byte[] body = cache.computeIfAbsent(name, AdminUiService::load);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.create("Content-Security-Policy"),
                "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(body);
    }

    private static byte[] load(String name) {
        try (InputStream in = AdminUiService.class.getClassLoader().getResourceAsStream("admin-web/" + name)) {
            if (in == null) {
                throw GatewayException.notFound("The admin UI is not packaged in this build.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
