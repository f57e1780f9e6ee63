package se.nestit.audience.destination.datamanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.cli.HeaderOnlyData;
import se.nestit.audience.sync.AudienceState;
import se.nestit.audience.sync.StateStore;

/**
 * {@code check} against the loopback Data Manager: a token from the key file's token_uri, then
 * the operating account's user lists. A wrong account and a token endpoint that cannot be reached
 * are told apart, each with its own advice, and nothing is ever sent.
 */
class DataManagerCheckTest {

    private static final String ACCOUNT = "1234567890";
    private static final String LIST = "555";
    private static ServiceAccountKey key;

    @TempDir
    Path tmp;

    private FakeDataManager google;

    @BeforeAll
    static void makeKey() throws NoSuchAlgorithmException {
        key = new ServiceAccountKey();
    }

    @BeforeEach
    void start() throws IOException {
        google = new FakeDataManager(ACCOUNT);
        google.addList(LIST, "Buyers");
        google.addList("777", "lookalike source");
        google.trustServiceAccountKey(key.publicKey());
        Path data = HeaderOnlyData.write(tmp.resolve("data"));
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(audiences.resolve("buyers.yaml"), """
                destinations: [dm, files]
                rule:
                  purchased: { within_days: 365 }
                """);
        Files.writeString(audiences.resolve("new-ones.yaml"), """
                destinations: [dm]
                rule:
                  purchased: { within_days: 30 }
                """);
    }

    @AfterEach
    void stop() {
        google.close();
        assertEquals(List.of(), google.violations(), "requests that do not follow the Data Manager API reference");
        assertTrue(
                google.received(":ingest").isEmpty()
                        && google.received(":remove").isEmpty()
                        && google.received(":removeAll").isEmpty(),
                "check sent members");
    }

    @Test
    void allRightExitsZeroAndSaysWhereEachAudienceGoes() throws IOException {
        writeConfig("123-456-7890", google.tokenUri());

        Cli.Result r = check();

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("dm (google-data-manager): ok"), r.out());
        assertTrue(r.out().contains("ok     account 1234567890: the credentials may read its 2 user lists"), r.out());
        assertTrue(r.out().contains("ok     audience buyers: user list 555 ('Buyers')"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "ok     audience new-ones: the first sync creates user list 'new-ones (audience-exporter)'"),
                r.out());
        assertTrue(r.out().contains("files (file): ok"), r.out());
        assertFalse(google.received("/token").isEmpty(), "a token was obtained");
        assertEquals(List.of("555", "777"), google.listIds().stream().toList(), "check creates no list");
    }

    @Test
    void aWrongAccountAndADeadTokenEndpointAreToldApartWithTheirOwnAdvice() throws IOException {
        writeConfig("999-999-9999", google.tokenUri());
        Cli.Result wrongAccount = check();

        writeConfig("123-456-7890", deadAddress().resolve("/token"));
        Cli.Result deadToken = check();

        assertEquals(1, wrongAccount.exitCode(), wrongAccount.out() + wrongAccount.err());
        assertTrue(wrongAccount.out().contains("ok     credentials"), wrongAccount.out());
        assertTrue(
                wrongAccount
                        .out()
                        .contains("WRONG  account 9999999999: Google gave a token but refuses access to Google Ads "
                                + "account 9999999999 (HTTP 403 PERMISSION_DENIED"),
                wrongAccount.out());
        assertTrue(wrongAccount.out().contains("what to do: check operating_account_id"), wrongAccount.out());

        assertEquals(1, deadToken.exitCode(), deadToken.out() + deadToken.err());
        assertTrue(
                deadToken
                        .out()
                        .contains(
                                "WRONG  credentials: cannot reach Google's token endpoint (java.net.ConnectException"),
                deadToken.out());
        assertTrue(deadToken.out().contains("what to do: check the network, proxy and firewall"), deadToken.out());
        assertFalse(
                deadToken.out().contains("service account key"),
                "a refused connection is no reason to doubt the key: " + deadToken.out());
        assertNotEquals(advice(wrongAccount), advice(deadToken));
        assertFalse(
                deadToken.out().contains("account 1234567890"), "nothing is read without a token: " + deadToken.out());
    }

    @Test
    void aTokenEndpointThatDropsTheConnectionIsANetworkProblemNotTheKey() throws IOException {
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try {
                        dropping.accept().close(); // like a proxy that hangs up: no answer at all
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            writeConfig("123-456-7890", URI.create("http://127.0.0.1:" + dropping.getLocalPort() + "/token"));

            Cli.Result r = check();

            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("what to do: check the network, proxy and firewall"), r.out());
            assertFalse(r.out().contains("service account key"), "no answer is no reason to doubt the key: " + r.out());
        }
    }

    @Test
    void aListTheSyncStateRemembersThatGoogleNoLongerHasIsWrong() throws IOException {
        writeConfig("123-456-7890", google.tokenUri());
        new StateStore(tmp.resolve("state"))
                .commit("dm", "new-ones", AudienceState.NEW.withRemote(Map.of(DataManagerClient.USER_LIST_ID, "404")));

        Cli.Result r = check();

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.out()
                        .contains(
                                "WRONG  audience new-ones: user list 404, which the sync state remembers, is not a user list "
                                        + "of Google Ads account 1234567890"),
                r.out());
        assertTrue(r.out().contains("ok     audience buyers: user list 555 ('Buyers')"), r.out());
    }

    @Test
    void aSecretThatIsNotSetIsAConfigurationError() throws IOException {
        writeConfig("123-456-7890", google.tokenUri());
        Files.writeString(
                tmp.resolve("exporter.yaml"),
                Files.readString(tmp.resolve("exporter.yaml"))
                        .replace(tmp.resolve("sa.json").toString(), "${AUDIENCE_EXPORTER_TEST_NEVER_SET}"));

        Cli.Result r = check();

        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.out().contains("WRONG  settings: ")
                        && r.out().contains("AUDIENCE_EXPORTER_TEST_NEVER_SET is not set"),
                r.out());
        assertTrue(r.out().contains("files (file): ok"), "the other destinations are still checked: " + r.out());
    }

    private Cli.Result check() {
        return Cli.run("check", "--config", tmp.resolve("exporter.yaml").toString());
    }

    private static List<String> advice(Cli.Result r) {
        return r.out().lines().filter(l -> l.contains("what to do:")).toList();
    }

    /** An address nothing listens on: a port just given up. */
    private static URI deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private void writeConfig(String account, URI tokenUri) throws IOException {
        Path keyFile = key.write(tmp.resolve("sa.json"), tokenUri);
        Files.writeString(tmp.resolve("exporter.yaml"), """
                data: %s
                audiences: %s
                out: %s
                state: %s
                destinations:
                  dm:
                    type: google-data-manager
                    operating_account_id: %s
                    credentials: %s
                    endpoint: %s
                    retry: { max_attempts: 2, initial_backoff: 1ms, max_backoff: 5ms }
                    audiences: { buyers: %s }
                  files: { type: file }
                """.formatted(
                        tmp.resolve("data"),
                        tmp.resolve("audiences"),
                        tmp.resolve("out"),
                        tmp.resolve("state"),
                        account,
                        keyFile,
                        google.endpoint(),
                        LIST));
    }
}
