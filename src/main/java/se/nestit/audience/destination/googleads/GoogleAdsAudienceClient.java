package se.nestit.audience.destination.googleads;

import java.util.List;
import java.util.Map;
import se.nestit.audience.destination.AudienceClient;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.identity.SortedHashes;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.PendingOperation;
import se.nestit.audience.sync.PendingOperation.Kind;

/** Google Ads Customer Match as the sync engine sees it: a user list per audience, changed through jobs. */
final class GoogleAdsAudienceClient implements AudienceClient {

    private final UserLists userLists;
    private final CustomerMatchJobs jobs;
    private final AdsServices services;

    GoogleAdsAudienceClient(UserLists userLists, CustomerMatchJobs jobs, AdsServices services) {
        this.userLists = userLists;
        this.jobs = jobs;
        this.services = services;
    }

    @Override
    public RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
        return userLists.ensure(audience, remembered);
    }

    @Override
    public Submission add(RemoteAudience audience, SortedHashes hashes) {
        return jobs.submit(userList(audience), Kind.ADD, hashes);
    }

    @Override
    public Submission remove(RemoteAudience audience, SortedHashes hashes) {
        return jobs.submit(userList(audience), Kind.REMOVE, hashes);
    }

    @Override
    public Submission replace(RemoteAudience audience, SortedHashes hashes) {
        return jobs.submit(userList(audience), Kind.REPLACE, hashes);
    }

    @Override
    public Settlement settle(RemoteAudience audience, PendingOperation operation) {
        return jobs.settle(operation);
    }

    @Override
    public List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
        return userLists.check(remembered);
    }

    private static String userList(RemoteAudience audience) {
        return audience.ids().get(UserLists.KEY);
    }

    @Override
    public void close() {
        services.close();
    }
}
