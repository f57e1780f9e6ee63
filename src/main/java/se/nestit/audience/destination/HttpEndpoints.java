package se.nestit.audience.destination;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import se.nestit.audience.config.YamlNode;

/** The {@code endpoint} setting of a destination that speaks HTTP: a base address, for proxies and tests. */
public final class HttpEndpoints {

    private HttpEndpoints() {}

    /** An http(s) address without query and without a trailing slash, or {@code fallback} when absent. */
    public static URI parse(YamlNode node, URI fallback) {
        Optional<String> text = node.optionalString();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            URI uri = new URI(text.get().strip().replaceAll("/+$", ""));
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw node.error("expected an http(s) address such as " + fallback);
    }
}
