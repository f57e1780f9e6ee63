package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How Google says an accepted request ended, read from {@code GET /v1/requestStatus:retrieve}
 * (developers.google.com/data-manager/api/reference/rest/v1/requestStatus/retrieve): the first
 * {@code requestStatusPerDestination[]} (each request has one destination), its
 * {@code requestStatus}, the {@code errorInfo.errorCounts[]} behind a failure, and for an ingest
 * {@code audienceMembersIngestionStatus.userDataIngestionStatus.uploadMatchRateRange}.
 *
 * @param errors Google's error reasons with their record counts; never member data
 * @param matchRate the upload's match rate range as Google names it ({@code MATCH_RATE_RANGE_61_TO_70}), when given
 */
record RequestVerdict(State state, List<ErrorCount> errors, Optional<String> matchRate) {

    /** One {@code errorInfo.errorCounts[]} entry. */
    record ErrorCount(String reason, long records) {
        @Override
        public String toString() {
            return records > 0 ? reason + " x" + records : reason;
        }
    }

    enum State {
        /** Every member of the request was processed. */
        SUCCEEDED,
        /** Google failed the request, or some of its members (it never says which). */
        FAILED,
        /** Not finished (PROCESSING, or a status this build does not know). */
        PROCESSING
    }

    /** A request not asked about (the asking failed): settled by a later run. */
    static final RequestVerdict UNKNOWN = new RequestVerdict(State.PROCESSING, List.of(), Optional.empty());

    static RequestVerdict from(JsonNode answer) {
        JsonNode status = answer.path("requestStatusPerDestination").path(0);
        List<ErrorCount> errors = new ArrayList<>();
        for (JsonNode count : status.path("errorInfo").path("errorCounts")) {
            errors.add(new ErrorCount(
                    count.path("reason").asText("unknown reason"),
                    count.path("recordCount").asLong(0)));
        }
        Optional<String> matchRate = Optional.of(status.path("audienceMembersIngestionStatus")
                        .path("userDataIngestionStatus")
                        .path("uploadMatchRateRange")
                        .asText(""))
                .filter(r -> !r.isEmpty());
        State state = switch (status.path("requestStatus").asText("")) {
            case "SUCCESS" -> State.SUCCEEDED;
            // Some records failed (the reference's meaning of PARTIAL_SUCCESS), and Google never
            // names them; its error counts "may not be populated", so none counted proves nothing.
            case "PARTIAL_SUCCESS", "FAILED" -> State.FAILED;
            default -> State.PROCESSING;
        };
        return new RequestVerdict(state, List.copyOf(errors), matchRate);
    }

    /** Why it failed, for messages: {@code INVALID_SHA256_FORMAT x12, ...}. */
    String failure() {
        return errors.isEmpty()
                ? "no reason given"
                : String.join(", ", errors.stream().map(ErrorCount::toString).toList());
    }

    /** {@code MATCH_RATE_RANGE_61_TO_70} as {@code 61-70%}; the unknown and not-eligible values as Google names them. */
    static String readable(String matchRate) {
        String range = matchRate.replace("MATCH_RATE_RANGE_", "");
        if (range.matches("[0-9]+_TO_[0-9]+")) {
            return range.replace("_TO_", "-") + "%";
        }
        if (range.matches("LESS_THAN_[0-9]+")) {
            return "<" + range.substring("LESS_THAN_".length()) + "%";
        }
        return range.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
