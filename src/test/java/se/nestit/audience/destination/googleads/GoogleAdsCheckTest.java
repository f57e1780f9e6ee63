package se.nestit.audience.destination.googleads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ads.googleads.v23.enums.CustomerStatusEnum.CustomerStatus;
import com.google.ads.googleads.v23.enums.UserListTypeEnum.UserListType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.cli.Cli;
import se.nestit.audience.cli.HeaderOnlyData;

/** {@code check} against the loopback Google Ads API: GAQL over SearchStream reads the customer and its user lists, nothing else. */
class GoogleAdsCheckTest {

    @TempDir
    Path tmp;

    private FakeGoogleAds google;

    @BeforeEach
    void start() throws IOException {
        google = new FakeGoogleAds(10_000, null);
        String endpoint = google.startLoopback();
        Path data = HeaderOnlyData.write(tmp.resolve("data"));
        Path audiences = Files.createDirectories(tmp.resolve("audiences"));
        Files.writeString(
                audiences.resolve("buyers.yaml"), "destinations: [ads]\nrule:\n  purchased: { within_days: 365 }\n");
        Files.writeString(
                audiences.resolve("visitors.yaml"), "destinations: [ads]\nrule:\n  purchased: { within_days: 30 }\n");
        Path properties = tmp.resolve("ads.properties");
        Files.writeString(properties, """
                api.googleads.developerToken=%s
                api.googleads.clientId=fake-client-id.apps.googleusercontent.com
                api.googleads.clientSecret=fake-client-secret
                api.googleads.refreshToken=fake-refresh-token
                """.formatted(FakeGoogleAds.DEVELOPER_TOKEN));
        Files.writeString(tmp.resolve("exporter.yaml"), """
                data: %s
                audiences: %s
                out: %s
                state: %s
                destinations:
                  ads:
                    type: google-ads
                    customer_id: 123-456-7890
                    properties: %s
                    endpoint: %s
                    list_prefix: "nightly "
                    retry: {max_attempts: 2, initial_backoff: 1ms, max_backoff: 5ms}
                """.formatted(
                        data, audiences, tmp.resolve("out"), tmp.resolve("state"), properties, endpoint));
    }

    @AfterEach
    void stop() throws InterruptedException {
        google.close();
        assertEquals(List.of(), google.violations(), "requests that do not follow the Google Ads API");
        assertTrue(google.jobs().isEmpty(), "check started a job");
    }

    @Test
    void allRightExitsZeroAndAListOfAnotherTypeUnderTheNameIsWrong() {
        String buyers =
                google.createList("nightly buyers", UserListType.CRM_BASED, "Buyers [audience-exporter:buyers]");
        google.createList("nightly visitors", UserListType.RULE_BASED);

        Cli.Result r = check();

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("ok     customer 1234567890: 'Nestit test', status ENABLED"), r.out());
        assertTrue(
                r.out()
                        .contains("ok     audience buyers: the first sync replaces the members of user list " + buyers
                                + " ('nightly buyers')"),
                r.out());
        assertTrue(
                r.out()
                        .contains(
                                "WRONG  audience visitors: user list 'nightly visitors' is of type RULE_BASED, not CRM_BASED"),
                r.out());
        assertEquals(0, google.calls("Search") + google.calls("MutateUserLists"), "check only streams its two queries");
    }

    @Test
    void aSameNameListThisJobDidNotCreateIsWrong() {
        String foreign = google.createList("nightly buyers", UserListType.CRM_BASED, "made by hand");

        Cli.Result r = check();

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.out()
                        .contains("WRONG  audience buyers: user list " + foreign
                                + " ('nightly buyers') was not created by this job"),
                r.out());
    }

    @Test
    void anAccountThatIsNotEnabledIsWrong() {
        google.customerStatus(CustomerStatus.CANCELED);

        Cli.Result r = check();

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.out().contains("WRONG  customer 1234567890: 'Nestit test', status CANCELED, not ENABLED"), r.out());
        assertTrue(
                r.out().contains("ok     audience buyers: the first sync creates user list 'nightly buyers'"), r.out());
    }

    private Cli.Result check() {
        return Cli.run("check", "--config", tmp.resolve("exporter.yaml").toString());
    }
}
