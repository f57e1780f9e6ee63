package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.v23.common.Consent;
import com.google.ads.googleads.v23.common.CustomerMatchUserListMetadata;
import com.google.ads.googleads.v23.common.UserData;
import com.google.ads.googleads.v23.common.UserIdentifier;
import com.google.ads.googleads.v23.enums.ConsentStatusEnum.ConsentStatus;
import com.google.ads.googleads.v23.enums.OfflineUserDataJobStatusEnum.OfflineUserDataJobStatus;
import com.google.ads.googleads.v23.enums.OfflineUserDataJobTypeEnum.OfflineUserDataJobType;
import com.google.ads.googleads.v23.errors.ErrorLocation.FieldPathElement;
import com.google.ads.googleads.v23.errors.GoogleAdsError;
import com.google.ads.googleads.v23.errors.GoogleAdsFailure;
import com.google.ads.googleads.v23.resources.OfflineUserDataJob;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsRequest;
import com.google.ads.googleads.v23.services.GoogleAdsRow;
import com.google.ads.googleads.v23.services.OfflineUserDataJobOperation;
import com.google.ads.googleads.v23.utils.ErrorUtils;
import com.google.rpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient.Settlement;
import se.nestit.audience.destination.AudienceClient.Submission;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.PendingOperation.Kind;

/**
 * Sends hashes to a user list through one Customer Match offline user data job per call: create
 * the job, add the operations in batches (one call at a time: parallel calls on one job fail with
 * CONCURRENT_MODIFICATION), run it, and poll its status for up to {@code job_wait}. Adds and
 * removes never share a job (CONFLICTING_OPERATION); a replace is one job whose first operation is
 * {@code remove_all}. Only what a job that ended in SUCCESS held is ever reported confirmed.
 */
final class CustomerMatchJobs {

    private static final Logger log = LoggerFactory.getLogger(CustomerMatchJobs.class);

    private final String destination;
    private final AdsCalls calls;
    private final int perRequest;
    private final Duration jobWait;
    private final Duration pollInterval;

    CustomerMatchJobs(String destination, AdsCalls calls, int perRequest, Duration jobWait, Duration pollInterval) {
        this.destination = destination;
        this.calls = calls;
        this.perRequest = perRequest;
        this.jobWait = jobWait;
        this.pollInterval = pollInterval;
    }

    Submission submit(String userList, Kind kind, SortedHashes hashes) {
        String job = calls.createJob(
                "create " + verb(kind) + " job for " + userList,
                OfflineUserDataJob.newBuilder()
                        .setType(OfflineUserDataJobType.CUSTOMER_MATCH_USER_LIST)
                        .setCustomerMatchUserListMetadata(CustomerMatchUserListMetadata.newBuilder()
                                .setUserList(userList)
                                // Only customers who passed the consent gate (fresh marketing consent, no
                                // suppression) are ever sent, so consent is granted for everyone in the job.
                                .setConsent(Consent.newBuilder()
                                        .setAdUserData(ConsentStatus.GRANTED)
                                        .setAdPersonalization(ConsentStatus.GRANTED)))
                        .build());
        List<String> notes = new ArrayList<>();
        BitSet refused = addOperations(job, kind, hashes, notes);
        SortedHashes failed =
                SortedHashes.of(refused.stream().mapToObj(hashes::get).toList());
        SortedHashes accepted = hashes.minus(failed);
        if (accepted.isEmpty() && kind != Kind.REPLACE) {
            // Nothing left to run; an unrun job does nothing and expires at Google.
            return new Submission(SortedHashes.empty(), failed, List.of(), notes);
        }
        calls.runJob("run job " + job, job);
        OfflineUserDataJob status = await(job);
        log.info("{}: {} {} operations in {}: {}", destination, accepted.size(), verb(kind), job, status.getStatus());
        switch (status.getStatus()) {
            case SUCCESS -> {
                return new Submission(accepted, failed, List.of(), notes);
            }
            case FAILED -> {
                String reason = job + " failed (" + status.getFailureReason() + ")";
                if (kind == Kind.REPLACE) {
                    // Whether the list was emptied is unknown: keep the state as it was rather than
                    // forget members who may still be on the list.
                    throw new DestinationException("full refresh " + reason
                            + "; the sync state is left as it was; run sync --full-refresh again");
                }
                notes.add(reason + "; its " + hashes.size() + " operations are sent again next run");
                return new Submission(SortedHashes.empty(), hashes, List.of(), notes);
            }
            default -> {
                notes.add(job + " still " + status.getStatus() + " after " + jobWait.toSeconds()
                        + " s; settled next run");
                return new Submission(
                        SortedHashes.empty(),
                        failed,
                        List.of(new PendingOperation(job, kind, accepted, Instant.now())),
                        notes);
            }
        }
    }

    Settlement settle(PendingOperation operation) {
        return status(operation.id())
                .map(job -> switch (job.getStatus()) {
                    case SUCCESS -> new Settlement(Settlement.State.SUCCEEDED, "SUCCESS");
                    case FAILED ->
                        new Settlement(
                                Settlement.State.FAILED, job.getFailureReason().name());
                    default ->
                        new Settlement(Settlement.State.RUNNING, job.getStatus().name());
                })
                .orElseGet(() -> new Settlement(Settlement.State.FAILED, "the job is no longer found in Google Ads"));
    }

    /**
     * Adds the operations batch after batch.
     *
     * @return the indexes of the hashes Google refused
     */
    private BitSet addOperations(String job, Kind kind, SortedHashes hashes, List<String> notes) {
        BitSet refused = new BitSet(hashes.size());
        TreeSet<String> codes = new TreeSet<>();
        boolean removeAll = kind == Kind.REPLACE;
        int from = 0;
        do {
            int to = Math.min(hashes.size(), from + perRequest);
            var request = AddOfflineUserDataJobOperationsRequest.newBuilder()
                    .setResourceName(job)
                    .setEnablePartialFailure(true);
            if (removeAll) {
                request.addOperations(OfflineUserDataJobOperation.newBuilder().setRemoveAll(true));
            }
            int first = removeAll ? 1 : 0;
            SortedHashes batch = hashes.slice(from, to);
            for (int i = 0; i < batch.size(); i++) {
                UserData data = UserData.newBuilder()
                        .addUserIdentifiers(UserIdentifier.newBuilder().setHashedEmail(batch.hex(i)))
                        .build();
                request.addOperations(
                        kind == Kind.REMOVE
                                ? OfflineUserDataJobOperation.newBuilder().setRemove(data)
                                : OfflineUserDataJobOperation.newBuilder().setCreate(data));
            }
            var response = calls.addOperations(
                    "add " + batch.size() + " " + verb(kind) + " operations to " + job, request.build());
            for (GoogleAdsError e : partialFailures(response.getPartialFailureError())) {
                codes.add(AdsErrors.code(e.getErrorCode()));
                int op = operationIndex(e);
                if (removeAll && op == 0) {
                    throw new DestinationException(job + ": remove_all refused: " + AdsErrors.code(e.getErrorCode())
                            + " (" + e.getMessage() + ")");
                }
                int index = op - first;
                if (op >= 0 && index >= 0 && index < batch.size()) {
                    refused.set(from + index);
                } else {
                    // an error that names no operation of ours: none of the batch counts as accepted
                    refused.set(from, to);
                }
            }
            removeAll = false;
            from = to;
        } while (from < hashes.size());
        if (!refused.isEmpty()) {
            notes.add(job + ": " + refused.cardinality() + " operations refused: " + String.join(", ", codes));
        }
        return refused;
    }

    private static List<GoogleAdsError> partialFailures(Status status) {
        if (status.getDetailsCount() == 0) {
            return List.of();
        }
        GoogleAdsFailure failure = ErrorUtils.getInstance().getGoogleAdsFailure(status);
        return failure == null ? List.of() : failure.getErrorsList();
    }

    /** The index of the operation an error is about ({@code operations[i]}), or -1 when it does not say. */
    private static int operationIndex(GoogleAdsError e) {
        List<FieldPathElement> path = e.getLocation().getFieldPathElementsList();
        if (path.isEmpty()
                || !path.get(0).getFieldName().equals("operations")
                || !path.get(0).hasIndex()) {
            return -1;
        }
        return path.get(0).getIndex();
    }

    /** Polls the job until it ends or {@code job_wait} is over; returns the last status seen. */
    private OfflineUserDataJob await(String job) {
        long deadline = System.nanoTime() + jobWait.toNanos();
        while (true) {
            OfflineUserDataJob status = status(job)
                    .orElseThrow(() -> new DestinationException(job + " was started but Google Ads does not find it"));
            long left = deadline - System.nanoTime();
            if (status.getStatus() == OfflineUserDataJobStatus.SUCCESS
                    || status.getStatus() == OfflineUserDataJobStatus.FAILED
                    || left <= 0) {
                return status;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
    }

    private Optional<OfflineUserDataJob> status(String job) {
        List<GoogleAdsRow> rows = calls.search(
                "check status of " + job,
                "SELECT offline_user_data_job.resource_name, offline_user_data_job.status, offline_user_data_job.failure_reason "
                        + "FROM offline_user_data_job WHERE offline_user_data_job.resource_name = "
                        + Gaql.literal(job));
        return rows.stream().map(GoogleAdsRow::getOfflineUserDataJob).findFirst();
    }

    private static String verb(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
