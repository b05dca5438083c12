package ai.higress.config;

/**
 * One Redis endpoint of a Sentinel or Cluster deployment: a sentinel, or a cluster seed node.
 *
 * @param host host name or IP address (IPv6 without brackets)
 * @param port TCP port
 */
public record RedisNode(String host, int port) {

    /** Parses {@code host:port} or {@code [ipv6]:port}; {@code key} names the config entry in the error. */
    static RedisNode parse(String key, String text) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(key, "expected host:port, was '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException(key, "write an IPv6 address in brackets: [" + host + "]:port");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "the port of '" + value + "' is not a number");
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new ConfigException(key, "expected host:port with a port of 1-65535, was '" + value + "'");
        }
        return new RedisNode(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
