package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.v23.errors.DatabaseErrorEnum.DatabaseError;
import com.google.ads.googleads.v23.errors.ErrorCode;
import com.google.ads.googleads.v23.errors.GoogleAdsError;
import com.google.ads.googleads.v23.errors.GoogleAdsException;
import com.google.ads.googleads.v23.errors.NotAllowlistedErrorEnum.NotAllowlistedError;
import com.google.ads.googleads.v23.errors.OfflineUserDataJobErrorEnum.OfflineUserDataJobError;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import se.nestit.audience.destination.DestinationException;

/**
 * What the Google Ads API's errors mean for this job: which are worth another attempt, how long
 * Google asked to wait, and what the user should read when a call finally fails. Google Ads errors
 * arrive as {@link GoogleAdsException} (the client library decodes the {@code GoogleAdsFailure}
 * trailer); others as plain gRPC statuses.
 */
final class AdsErrors {

    /** Statuses that say "try again later" rather than "this request is wrong". */
    private static final Set<StatusCode.Code> RETRYABLE_STATUS =
            Set.of(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.RESOURCE_EXHAUSTED);

    /**
     * A quota that asks for a longer wait than this is a daily or monthly one: waiting it out would
     * stall the nightly run, so the destination fails and the next run tries again.
     */
    static final Duration LONGEST_QUOTA_WAIT = Duration.ofMinutes(5);

    private AdsErrors() {}

    static boolean retryable(Throwable t) {
        if (!(t instanceof ApiException e)) {
            return false;
        }
        if (errors(e).stream().anyMatch(AdsErrors::concurrentModification)) {
            return true;
        }
        if (!RETRYABLE_STATUS.contains(e.getStatusCode().getCode())) {
            return false;
        }
        return retryAfter(t).map(d -> d.compareTo(LONGEST_QUOTA_WAIT) <= 0).orElse(true);
    }

    /** The retry delay a quota error carries ({@code QuotaErrorDetails.retry_delay}), if any. */
    static Optional<Duration> retryAfter(Throwable t) {
        if (!(t instanceof ApiException e)) {
            return Optional.empty();
        }
        return errors(e).stream()
                .filter(g -> g.getDetails().hasQuotaErrorDetails()
                        && g.getDetails().getQuotaErrorDetails().hasRetryDelay())
                .map(g -> g.getDetails().getQuotaErrorDetails().getRetryDelay())
                .map(d -> Duration.ofSeconds(d.getSeconds(), d.getNanos()))
                .max(Duration::compareTo);
    }

    private static boolean concurrentModification(GoogleAdsError e) {
        return e.getErrorCode().getDatabaseError() == DatabaseError.CONCURRENT_MODIFICATION;
    }

    static List<GoogleAdsError> errors(ApiException e) {
        return e instanceof GoogleAdsException g ? g.getGoogleAdsFailure().getErrorsList() : List.of();
    }

    /**
     * The exception that ends a call that failed for good: what the user must do for the errors
     * that make the destination unusable, otherwise the error codes and the request id. Google's
     * messages name fields and codes, never the identifiers we sent or our secrets.
     *
     * @param what what the call was doing
     */
    static DestinationException failure(String what, RuntimeException e) {
        String prefix = what + " failed: ";
        if (!(e instanceof ApiException api)) {
            return e instanceof DestinationException d ? d : new DestinationException(prefix + e.getMessage(), e);
        }
        List<GoogleAdsError> errors = errors(api);
        String request = api instanceof GoogleAdsException g && g.getRequestId() != null
                ? " (request id " + g.getRequestId() + ")"
                : "";
        if (errors.stream()
                .anyMatch(g -> g.getErrorCode().getNotAllowlistedError()
                        == NotAllowlistedError.CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE)) {
            return new DestinationException(
                    prefix + "CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE" + request
                            + ": since 2026-04-01 the Google Ads API takes Customer Match uploads only from developer tokens that "
                            + "uploaded before; use a destination of type google-data-manager (Google's Data Manager API) instead",
                    e,
                    true);
        }
        if (errors.stream()
                .anyMatch(g -> g.getErrorCode().getOfflineUserDataJobError()
                        == OfflineUserDataJobError.CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS)) {
            return new DestinationException(
                    prefix + "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS" + request
                            + ": accept the Customer Match terms for this account in the Google Ads UI (Tools, Audience manager), "
                            + "then run sync again",
                    e,
                    true);
        }
        if (errors.isEmpty()) {
            String hint = switch (api.getStatusCode().getCode()) {
                case UNAUTHENTICATED -> ": check the OAuth credentials in ads.properties or the GOOGLE_ADS_* variables";
                case PERMISSION_DENIED -> ": check the developer token, customer_id and login_customer_id";
                default -> "";
            };
            // refused credentials or permissions refuse every later call too
            return new DestinationException(
                    prefix + api.getStatusCode().getCode() + request + hint, e, !hint.isEmpty());
        }
        String codes = errors.stream()
                .map(g -> code(g.getErrorCode()) + " (" + g.getMessage() + ")")
                .distinct()
                .collect(Collectors.joining("; "));
        return new DestinationException(prefix + codes + request, e);
    }

    /** An error code as Google documents it: the enum value's name, such as {@code CONCURRENT_MODIFICATION}. */
    static String code(ErrorCode code) {
        for (Map.Entry<FieldDescriptor, Object> f : code.getAllFields().entrySet()) {
            return f.getValue().toString();
        }
        return "UNKNOWN_ERROR";
    }
}
