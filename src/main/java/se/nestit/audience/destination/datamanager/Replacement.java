package se.nestit.audience.destination.datamanager;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full refresh in progress, kept in the sync state as the id of its pending operation: the
 * ingest requests of the new members, and the time (Google's clock) before which members were last
 * added by someone else. {@code removeAll} with that time is sent only once every ingest is seen to
 * succeed, so a failed ingest never leaves the list without the people it should hold.
 */
record Replacement(Instant removeAsOf, List<String> ingests) {

    private static final Pattern ID = Pattern.compile("removeAll before (\\S+) after ingests(?: (\\S+))?");

    Replacement {
        ingests = List.copyOf(ingests);
    }

    /** Readable, as it appears in "waiting for ..." messages, and read back by {@link #parse}. */
    String id() {
        return "removeAll before " + removeAsOf + " after ingests"
                + (ingests.isEmpty() ? "" : " " + String.join(",", ingests));
    }

    static Optional<Replacement> parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Replacement(
                    Instant.parse(m.group(1)),
                    m.group(2) == null ? List.of() : Arrays.asList(m.group(2).split(","))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
