package se.nestit.audience.destination.datamanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.nestit.audience.config.ConfigLoader;
import se.nestit.audience.config.DefinitionException;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.destination.DestinationContext;
import se.nestit.audience.sync.StateStore;

/** The settings as a config gives them: defaults from Google's documented limits, account ids as the API wants them. */
class DataManagerSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsFollowGooglesQuotaAndWaitForVerdicts() {
        DataManagerSettings s = settings("operating_account_id: 123-456-7890");

        assertEquals("1234567890", s.operatingAccountId(), "the dashed form Google Ads shows, sent as digits");
        assertEquals(5.0, s.resilience().perSecond(), 1e-9, "300 requests a minute");
        assertEquals(Duration.ofMinutes(10), s.requestWait());
        assertEquals(Duration.ofSeconds(15), s.pollInterval());
    }

    @Test
    void requestWaitAndPollIntervalAreSettings() {
        DataManagerSettings s = settings("operating_account_id: '1234567890'\nrequest_wait: 0s\npoll_interval: 2s\n"
                + "login_account_id: 9876543210");

        assertEquals(Duration.ZERO, s.requestWait());
        assertEquals(Duration.ofSeconds(2), s.pollInterval());
        assertEquals(Optional.of("9876543210"), s.loginAccountId());
    }

    @Test
    void anAccountIdThatIsNotTenDigitsIsAConfigError() {
        for (String id : new String[] {"123456789", "12345678901", "1234-567-890", "abc"}) {
            DefinitionException e =
                    assertThrows(DefinitionException.class, () -> settings("operating_account_id: '" + id + "'"));
            assertTrue(e.getMessage().contains("expected a 10-digit Google Ads customer id"), e.getMessage());
        }
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> settings("operating_account_id: '1234567890'\nlogin_account_id: 1"));
        assertTrue(e.getMessage().contains("login_account_id: expected a 10-digit"), e.getMessage());
    }

    private DataManagerSettings settings(String yaml) {
        YamlNode node = YamlNode.parse("exporter.yaml", "type: google-data-manager\n" + yaml + "\n");
        return DataManagerSettings.from(
                node,
                new DestinationContext(
                        tmp.resolve("out"), new StateStore(tmp.resolve("state")), false, new ConfigLoader(n -> null)));
    }
}
