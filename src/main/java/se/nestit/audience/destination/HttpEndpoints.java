package se.nestit.audience.destination;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import se.nestit.audience.config.YamlNode;

/** The {@code endpoint} setting of a destination that speaks HTTP: a base address, for proxies and tests. */
public final class HttpEndpoints {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.[0-9]{1,3}){3}");

    private HttpEndpoints() {}

    /**
     * An http(s) address without query and without a trailing slash, or {@code fallback} when
     * absent. Plain {@code http://} only to this machine (a test's fake, a local proxy): the
     * requests carry access tokens, which must not cross a network in clear.
     */
    public static URI parse(YamlNode node, URI fallback) {
        Optional<String> text = node.optionalString();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            URI uri = new URI(text.get().strip().replaceAll("/+$", ""));
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                if (inClear(uri)) {
                    throw node.error(
                            "plain http:// to " + uri.getHost() + " would send the access token in clear; use https:// "
                                    + "(http:// is only for this machine: localhost, 127.0.0.1, [::1])");
                }
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw node.error("expected an http(s) address such as " + fallback);
    }

    /** Whether requests to this address would cross a network unencrypted: plain http to another machine. */
    public static boolean inClear(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && (uri.getHost() == null || !isLoopback(uri.getHost()));
    }

    /**
     * Whether a host names this machine by itself: {@code localhost}, 127.0.0.0/8 or {@code ::1},
     * written as such (no name is looked up: a resolver can be made to lie).
     */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("[::1]") || h.equals("::1");
    }
}
