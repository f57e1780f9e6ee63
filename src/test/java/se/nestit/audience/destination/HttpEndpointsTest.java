package se.nestit.audience.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.YamlNode;

class HttpEndpointsTest {

    private static final URI FALLBACK = URI.create("https://graph.facebook.com");

    private static URI parse(String endpoint) {
        return HttpEndpoints.parse(
                YamlNode.parse("exporter.yaml", "endpoint: \"" + endpoint + "\"\n")
                        .get("endpoint"),
                FALLBACK);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://graph.example.com",
                "http://127.0.0.1:8080",
                "http://127.45.6.7:1",
                "http://localhost:9000",
                "http://LOCALHOST:9000",
                "http://[::1]:8080"
            })
    void httpsAnywhereAndPlainHttpToThisMachineAreTaken(String endpoint) {
        assertEquals(URI.create(endpoint), parse(endpoint + "/"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://graph.example.com",
                "http://10.0.0.5:8080",
                "http://127.0.0.1.example.com",
                "http://localhost.example.com",
                "http://128.0.0.1",
                "http://[::2]:8080"
            })
    void plainHttpToAnotherMachineIsRefused(String endpoint) {
        DefinitionException e = assertThrows(DefinitionException.class, () -> parse(endpoint));

        String host = URI.create(endpoint).getHost();
        assertEquals(
                "exporter.yaml: endpoint: plain http:// to " + host
                        + " would send the access token in clear; use https:// "
                        + "(http:// is only for this machine: localhost, 127.0.0.1, [::1]) (line 1)",
                e.getMessage());
    }
}
