package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void noEtaBeforeTheFirstSecondOrTheFirstUnitOrWithoutATotal() {
        // a first buffer read at once in 50 ms would otherwise promise the rest in no time
        assertEquals(Optional.empty(), ConsoleProgress.eta(Duration.ofMillis(50), 900, 1000));
        assertEquals(Optional.empty(), ConsoleProgress.eta(Duration.ofSeconds(5), 0, 1000));
        assertEquals(Optional.empty(), ConsoleProgress.eta(Duration.ofSeconds(5), 10, -1));
    }

    @Test
    void theRestAtThePaceSoFar() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), ConsoleProgress.eta(Duration.ofSeconds(1), 250, 1000));
        assertEquals(
                Optional.of(Duration.ofMinutes(90)),
                ConsoleProgress.eta(Duration.ofMinutes(10), 1_000_000, 10_000_000));
        assertEquals(Optional.of(Duration.ZERO), ConsoleProgress.eta(Duration.ofSeconds(2), 1000, 1000));
    }
}
