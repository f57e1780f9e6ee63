package se.nestit.audience.destination.meta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import se.nestit.audience.identity.SortedHashes;

/**
 * Meta's answer to one batch of hashes ({@code /users} or {@code /usersreplace}):
 * {@code num_received}, {@code num_invalid_entries} and {@code invalid_entry_samples}, and which of
 * the batch's hashes therefore count as not confirmed.
 *
 * <p>Samples that name a hash of the batch fail that hash. When Meta counts more invalid entries
 * than it names, or received fewer than were sent, nobody can tell which hashes it dropped, so the
 * whole batch counts as not confirmed: added hashes stay out of the sync state and removed ones
 * stay in, and the next run sends them again, which Meta treats as a no-op for those it did take.
 * The other choice, trusting the batch, could leave someone in the audience whose removal the job
 * believes done.
 *
 * @param samples the sampled entries that are hashes (Meta echoes what it was sent; other sample
 *     texts are counted in {@code invalid} but not kept)
 * @param wholeBatchFailed whether the batch counts as not confirmed for want of a full account
 */
record UploadAnswer(
        int sent, long received, long invalid, List<String> samples, SortedHashes failed, boolean wholeBatchFailed) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    UploadAnswer {
        samples = List.copyOf(samples);
    }

    static UploadAnswer read(JsonNode answer, SortedHashes batch) {
        long received = answer.path("num_received").asLong(batch.size());
        long invalid = answer.path("num_invalid_entries").asLong(0);
        List<String> samples = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (String sample : sampleTexts(answer.path("invalid_entry_samples"))) {
            if (HASH.matcher(sample).matches()) {
                samples.add(sample);
                if (batch.contains(SortedHashes.decodeHex(sample))) {
                    named.add(sample);
                }
            }
        }
        SortedHashes failed = SortedHashes.ofHex(named);
        boolean unaccounted = invalid > failed.size() || received < batch.size();
        return new UploadAnswer(batch.size(), received, invalid, samples, unaccounted ? batch : failed, unaccounted);
    }

    /** The reference types it {@code Map<string, string>}; some answers carry a list. Both are read. */
    private static List<String> sampleTexts(JsonNode samples) {
        List<String> texts = new ArrayList<>();
        if (samples.isObject()) {
            for (Map.Entry<String, JsonNode> e : samples.properties()) {
                texts.add(e.getKey());
                texts.add(e.getValue().asText());
            }
        } else if (samples.isArray()) {
            samples.forEach(s -> texts.add(s.asText()));
        }
        return texts;
    }
}
