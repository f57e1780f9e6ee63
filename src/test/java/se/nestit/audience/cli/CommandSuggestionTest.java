package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A mistyped command or option names what was meant and exits 2. */
class CommandSuggestionTest {

    @ParameterizedTest
    @CsvSource({"snyc, sync", "sycn, sync", "plna, plan", "verfiy, verify", "chek, check", "Sync, sync", "synk, sync"})
    void aMistypedCommandSuggestsTheOneMeant(String typed, String meant) {
        Cli.Result r = Cli.run(typed, "--no-progress");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(
                r.err().startsWith("error: unknown command '" + typed + "'. Did you mean " + meant + "?\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aWordLikeNoCommandGetsTheUsage() {
        Cli.Result r = Cli.run("qqq");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertFalse(r.err().contains("Did you mean"), r.err());
        assertTrue(r.err().contains("Unmatched argument at index 0: 'qqq'"), r.err());
    }

    @Test
    void aMistypedOptionOfASubcommandSuggestsTheOption() {
        Cli.Result r = Cli.run("sync", "--ful-refresh");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("Possible solutions: --full-refresh"), r.err());
    }

    @Test
    void aSwapIsOneEdit() {
        assertEquals(1, CommandSuggestion.edits("snyc", "sync"));
        assertEquals(1, CommandSuggestion.edits("plna", "plan"));
        assertEquals(3, CommandSuggestion.edits("", "abc"));
        assertEquals(0, CommandSuggestion.edits("verify", "verify"));
        assertEquals(3, CommandSuggestion.edits("kitten", "sitting"));
    }
}
