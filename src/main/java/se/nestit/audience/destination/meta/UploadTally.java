package se.nestit.audience.destination.meta;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import se.nestit.audience.identity.SortedHashes;

/** Meta's counts over the requests of one operation, summed for the report. */
final class UploadTally {

    private static final int SAMPLES_SHOWN = 10;

    private final String operation;
    private int requests;
    private long sent;
    private long received;
    private long invalid;
    private final Set<String> samples = new LinkedHashSet<>();
    private SortedHashes failed = SortedHashes.empty();
    private int unaccountedRequests;
    private long unaccountedHashes;

    /** @param operation {@code add}, {@code remove} or {@code replace}, for the note */
    UploadTally(String operation) {
        this.operation = operation;
    }

    void add(UploadAnswer answer) {
        requests++;
        sent += answer.sent();
        received += answer.received();
        invalid += answer.invalid();
        samples.addAll(answer.samples());
        failed = failed.plus(answer.failed());
        if (answer.wholeBatchFailed()) {
            unaccountedRequests++;
            unaccountedHashes += answer.sent();
        }
    }

    /** Hashes Meta did not confirm. */
    SortedHashes failed() {
        return failed;
    }

    /** For the report: {@code meta add: 3 requests, 20001 sent, num_received 20001, num_invalid_entries 0}. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add("meta " + operation + ": " + requests + (requests == 1 ? " request, " : " requests, ") + sent
                + " sent, num_received " + received + ", num_invalid_entries " + invalid);
        if (!samples.isEmpty()) {
            List<String> shown = new ArrayList<>(samples).subList(0, Math.min(SAMPLES_SHOWN, samples.size()));
            notes.add("meta " + operation + ": invalid_entry_samples " + String.join(", ", shown)
                    + (samples.size() > shown.size() ? " and " + (samples.size() - shown.size()) + " more" : ""));
        }
        if (unaccountedRequests > 0) {
            notes.add("meta " + operation + ": " + unaccountedRequests
                    + (unaccountedRequests == 1 ? " request" : " requests")
                    + " had invalid entries Meta did not name (or fewer received than sent), so all "
                    + unaccountedHashes + " of their hashes count as not confirmed and go again next run");
        }
        return notes;
    }
}
