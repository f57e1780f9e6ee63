package se.nestit.audience.destination.datamanager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** requestStatus:retrieve answers as the reference shows them, read into what the sync does with them. */
class RequestVerdictTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSuccessWithItsMatchRate() throws IOException {
        RequestVerdict v = RequestVerdict.from(JSON.readTree("""
                {"requestStatusPerDestination": [{"requestStatus": "SUCCESS",
                  "audienceMembersIngestionStatus": {"userDataIngestionStatus": {"recordCount": "250",
                    "userIdentifierCount": "250", "uploadMatchRateRange": "MATCH_RATE_RANGE_LESS_THAN_20"}}}]}
                """));

        assertEquals(
                new RequestVerdict(
                        RequestVerdict.State.SUCCEEDED, List.of(), Optional.of("MATCH_RATE_RANGE_LESS_THAN_20")),
                v);
        assertEquals("<20%", RequestVerdict.readable(v.matchRate().orElseThrow()));
        assertEquals("91-100%", RequestVerdict.readable("MATCH_RATE_RANGE_91_TO_100"));
        assertEquals("not eligible", RequestVerdict.readable("MATCH_RATE_RANGE_NOT_ELIGIBLE"));
    }

    /**
     * Reference (requestStatus.retrieve, RequestStatus): PARTIAL_SUCCESS means some records failed;
     * ErrorInfo.errorCounts "may not be populated in all cases", so an answer without counts still
     * names nobody who succeeded.
     */
    @Test
    void aPartialSuccessFailsWithOrWithoutErrorCounts() throws IOException {
        RequestVerdict partly = RequestVerdict.from(JSON.readTree("""
                {"requestStatusPerDestination": [{"requestStatus": "PARTIAL_SUCCESS",
                  "errorInfo": {"errorCounts": [{"recordCount": "3", "reason": "INVALID_SHA256_FORMAT"}]}}]}
                """));
        RequestVerdict uncounted = RequestVerdict.from(JSON.readTree("""
                {"requestStatusPerDestination": [{"requestStatus": "PARTIAL_SUCCESS", "errorInfo": {}}]}
                """));

        assertEquals(
                new RequestVerdict(
                        RequestVerdict.State.FAILED,
                        List.of(new RequestVerdict.ErrorCount("INVALID_SHA256_FORMAT", 3)),
                        Optional.empty()),
                partly);
        assertEquals("INVALID_SHA256_FORMAT x3", partly.failure());
        assertEquals(
                RequestVerdict.State.FAILED, uncounted.state(), "Google says some records failed, just not how many");
    }

    @Test
    void anythingElseIsNotFinished() throws IOException {
        for (String answer : List.of(
                "{\"requestStatusPerDestination\": [{\"requestStatus\": \"PROCESSING\"}]}",
                "{\"requestStatusPerDestination\": [{\"requestStatus\": \"REQUEST_STATUS_UNKNOWN\"}]}",
                "{}")) {
            assertEquals(
                    RequestVerdict.State.PROCESSING,
                    RequestVerdict.from(JSON.readTree(answer)).state(),
                    answer);
        }
        assertEquals(
                "no reason given",
                RequestVerdict.from(
                                JSON.readTree("{\"requestStatusPerDestination\": [{\"requestStatus\": \"FAILED\"}]}"))
                        .failure());
    }
}
