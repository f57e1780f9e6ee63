package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.v23.resources.OfflineUserDataJob;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsRequest;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsResponse;
import com.google.ads.googleads.v23.services.CreateOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.GoogleAdsRow;
import com.google.ads.googleads.v23.services.MutateUserListsRequest;
import com.google.ads.googleads.v23.services.MutateUserListsResponse;
import com.google.ads.googleads.v23.services.RunOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsResponse;
import com.google.ads.googleads.v23.services.SearchGoogleAdsStreamRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsStreamResponse;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.UnaryCallable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import se.nestit.audience.destination.Resilience;

/**
 * Every Google Ads API call this destination makes, each through its {@link Resilience} (retry,
 * rate limit, circuit breaker) and with the configured timeout. The generated clients would retry
 * UNAVAILABLE and DEADLINE_EXCEEDED on their own (5 s, ×1.3, up to 60 s), under and on top of our
 * retries; every call's context switches that off, so resilience4j is the only one that retries
 * and its attempts are the ones counted and logged.
 */
final class AdsCalls {

    private final String customerId;
    private final AdsServices services;
    private final Resilience resilience;
    private final ApiCallContext context;

    AdsCalls(String customerId, AdsServices services, Resilience resilience) {
        this.customerId = customerId;
        this.services = services;
        this.resilience = resilience;
        var timeout = resilience.settings().timeout();
        this.context = GrpcCallContext.createDefault()
                .withRetryableCodes(Set.of())
                .withRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(1)
                        .setTotalTimeoutDuration(timeout)
                        .setInitialRpcTimeoutDuration(timeout)
                        .setMaxRpcTimeoutDuration(timeout)
                        .setRpcTimeoutMultiplier(1.0)
                        .build())
                .withTimeoutDuration(timeout);
    }

    String customerId() {
        return customerId;
    }

    /** Runs a GAQL query; every row of every page. */
    List<GoogleAdsRow> search(String what, String query) {
        List<GoogleAdsRow> rows = new ArrayList<>();
        String page = "";
        do {
            SearchGoogleAdsRequest request = SearchGoogleAdsRequest.newBuilder()
                    .setCustomerId(customerId)
                    .setQuery(query)
                    .setPageToken(page)
                    .build();
            SearchGoogleAdsResponse response = call(what, services.googleAds().searchCallable(), request);
            rows.addAll(response.getResultsList());
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return rows;
    }

    /**
     * Runs a GAQL query with GoogleAdsService.SearchStream (reference
     * developers.google.com/google-ads/api/reference/rpc/v23/GoogleAdsService/SearchStream): every
     * row in one streamed answer, without pages. A failure part-way through is retried whole.
     */
    List<GoogleAdsRow> searchStream(String what, String query) {
        SearchGoogleAdsStreamRequest request = SearchGoogleAdsStreamRequest.newBuilder()
                .setCustomerId(customerId)
                .setQuery(query)
                .build();
        try {
            return resilience.call(what, () -> {
                List<GoogleAdsRow> rows = new ArrayList<>();
                for (SearchGoogleAdsStreamResponse batch :
                        services.googleAds().searchStreamCallable().call(request, context)) {
                    rows.addAll(batch.getResultsList());
                }
                return rows;
            });
        } catch (RuntimeException e) {
            throw AdsErrors.failure(what, e);
        }
    }

    MutateUserListsResponse mutateUserLists(String what, MutateUserListsRequest request) {
        return call(what, services.userLists().mutateUserListsCallable(), request);
    }

    /** Creates a job; returns its resource name. */
    String createJob(String what, OfflineUserDataJob job) {
        var request = CreateOfflineUserDataJobRequest.newBuilder()
                .setCustomerId(customerId)
                .setJob(job)
                .build();
        return call(what, services.jobs().createOfflineUserDataJobCallable(), request)
                .getResourceName();
    }

    AddOfflineUserDataJobOperationsResponse addOperations(String what, AddOfflineUserDataJobOperationsRequest request) {
        return call(what, services.jobs().addOfflineUserDataJobOperationsCallable(), request);
    }

    /** Starts a job; its long-running operation is not waited for (the job's status is polled instead). */
    void runJob(String what, String job) {
        call(
                what,
                services.jobs().runOfflineUserDataJobCallable(),
                RunOfflineUserDataJobRequest.newBuilder().setResourceName(job).build());
    }

    private <Q, R> R call(String what, UnaryCallable<Q, R> callable, Q request) {
        try {
            return resilience.call(what, () -> callable.call(request, context));
        } catch (RuntimeException e) {
            throw AdsErrors.failure(what, e);
        }
    }
}
