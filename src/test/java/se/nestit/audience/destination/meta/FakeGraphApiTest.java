package se.nestit.audience.destination.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback Graph API refuses what Meta's customer-file guide does not allow, so that the
 * client's tests can trust it: here requests are written by hand, not by the client.
 */
class FakeGraphApiTest {

    private static final String HASH = "a".repeat(64);
    private static final String PAYLOAD = "\"payload\": {\"schema\": \"EMAIL_SHA256\", \"data\": [\"" + HASH + "\"]}";

    private FakeGraphApi meta;
    private String audience;

    @BeforeEach
    void start() throws IOException {
        meta = new FakeGraphApi();
        audience = meta.seedAudience("x", Set.of());
    }

    @AfterEach
    void stop() {
        meta.close();
    }

    @Test
    void usersWithoutASessionAreRefusedAndChangeNothing() throws Exception {
        assertEquals(400, send("POST", "{" + PAYLOAD + "}"));
        assertEquals(400, send("DELETE", "{" + PAYLOAD + "}"));
        assertEquals(
                400,
                send("POST", "{" + PAYLOAD + ", \"session\": {\"session_id\": 7, \"batch_seq\": 1}}"),
                "all four fields are required");

        assertEquals(Set.of(), meta.members(audience));
        assertEquals(3, meta.violations().size());
        assertTrue(
                meta.violations().get(0).contains("/users without session"),
                meta.violations().toString());
    }

    @Test
    void usersBatchesAreNumberedFromOneInOrder() throws Exception {
        assertEquals(400, send("POST", body(7, 2, false)), "a session starts at batch 1");
        assertEquals(400, send("POST", body(8, 0, true)));
        assertEquals(200, send("POST", body(9, 1, false)));
        assertEquals(200, send("POST", body(9, 1, false)), "a batch sent again keeps its number");
        assertEquals(400, send("POST", body(9, 3, true)), "no batch is skipped");
        assertEquals(200, send("POST", body(9, 2, true)));

        assertEquals(3, meta.violations().size(), meta.violations().toString());
        assertEquals(Set.of(HASH), meta.members(audience));
    }

    @Test
    void aWellFormedSessionIsTaken() throws Exception {
        assertEquals(200, send("POST", body(11, 1, true)));
        assertEquals(Set.of(HASH), meta.members(audience));
        assertEquals(200, send("DELETE", body(12, 1, true)));
        assertEquals(Set.of(), meta.members(audience));
        assertEquals(List.of(), meta.violations());
    }

    private static String body(long sessionId, int batchSeq, boolean last) {
        return "{" + PAYLOAD + ", \"session\": {\"session_id\": " + sessionId + ", \"batch_seq\": " + batchSeq
                + ", \"last_batch_flag\": " + last + ", \"estimated_num_total\": 1}}";
    }

    private int send(String method, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(meta.endpoint() + "/" + FakeGraphApi.VERSION + "/"
                        + audience + "/users?appsecret_proof=" + FakeGraphApi.PROOF))
                .header("Authorization", "Bearer " + FakeGraphApi.TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
