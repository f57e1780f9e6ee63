package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.v23.common.CrmBasedUserListInfo;
import com.google.ads.googleads.v23.enums.CustomerMatchUploadKeyTypeEnum.CustomerMatchUploadKeyType;
import com.google.ads.googleads.v23.enums.CustomerStatusEnum.CustomerStatus;
import com.google.ads.googleads.v23.enums.UserListCrmDataSourceTypeEnum.UserListCrmDataSourceType;
import com.google.ads.googleads.v23.enums.UserListTypeEnum.UserListType;
import com.google.ads.googleads.v23.resources.UserList;
import com.google.ads.googleads.v23.services.GoogleAdsRow;
import com.google.ads.googleads.v23.services.MutateUserListsRequest;
import com.google.ads.googleads.v23.services.UserListOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.destination.AudienceClient.RemoteAudience;
import se.nestit.audience.destination.DestinationException;
import se.nestit.audience.destination.Finding;
import se.nestit.audience.destination.Ownership;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.sync.StateStore;

/**
 * Finds or creates the CRM-based user list (Customer Match, contact info, first party) of an
 * audience. The state remembers the list's resource name under {@value #KEY}.
 *
 * <p>A remembered list that is gone at Google fails the audience instead of being recreated: the
 * state says who is on the old list, a new list would start empty while the state diffs against
 * the old members, and the user may well have removed the list on purpose. A list found by name is
 * taken only if this job created it ({@link Ownership}) or the definition adopts it.
 */
final class UserLists {

    static final String KEY = "user_list";
    private static final Logger log = LoggerFactory.getLogger(UserLists.class);

    private final String destination;
    private final AdsCalls calls;
    private final String prefix;
    private final int membershipDays;
    private final StateStore store;

    /** @param store the sync state, to tell the user which file to delete */
    UserLists(String destination, AdsCalls calls, String prefix, int membershipDays, StateStore store) {
        this.destination = destination;
        this.calls = calls;
        this.prefix = prefix;
        this.membershipDays = membershipDays;
        this.store = store;
    }

    RemoteAudience ensure(AudienceDefinition audience, Map<String, String> remembered) {
        String name = prefix + audience.id();
        String known = remembered.get(KEY);
        if (known != null) {
            return new RemoteAudience(name, Map.of(KEY, verified(audience, known)), false);
        }
        List<GoogleAdsRow> found = calls.search(
                "find user list '" + name + "'",
                "SELECT user_list.resource_name, user_list.type, user_list.description FROM user_list WHERE user_list.name = "
                        + Gaql.literal(name));
        if (!found.isEmpty()) {
            UserList list = found.get(0).getUserList();
            if (list.getType() != UserListType.CRM_BASED) {
                throw new DestinationException(audience.id() + ": the user list '" + name + "' ("
                        + list.getResourceName() + ") is of type " + list.getType()
                        + ", not a Customer Match (CRM_BASED) list; "
                        + "rename it in Google Ads or set another list_prefix");
            }
            if (!Ownership.created(audience, list.getDescription())) {
                if (!audience.adopt()) {
                    throw Ownership.foreign(
                            audience,
                            audience.id() + ": user list " + list.getResourceName() + " named '" + name
                                    + "' in customer " + calls.customerId());
                }
                log.warn(
                        "{}: {}: adopting user list {} named '{}', which this job did not create (adopt: true); its members are "
                                + "replaced",
                        destination,
                        audience.id(),
                        list.getResourceName(),
                        name);
            }
            return new RemoteAudience(name, Map.of(KEY, list.getResourceName()), false);
        }
        String created = create(audience, name);
        log.info("{}: {}: created user list '{}' ({})", destination, audience.id(), name, created);
        return new RemoteAudience(name, Map.of(KEY, created), true);
    }

    /**
     * Reads the customer ({@code SELECT ... FROM customer}) and its user lists with GAQL, and finds
     * each audience's list among them the way {@link #ensure} would. The developer token and the
     * OAuth credentials are tried by the first call.
     */
    List<Finding> check(Map<AudienceDefinition, Map<String, String>> remembered) {
        List<Finding> findings = new ArrayList<>();
        String subject = "customer " + calls.customerId();
        Map<String, UserList> lists = new LinkedHashMap<>();
        try {
            List<GoogleAdsRow> customer = calls.searchStream(
                    "read customer " + calls.customerId(),
                    "SELECT customer.id, customer.descriptive_name, customer.status FROM customer");
            CustomerStatus status = customer.isEmpty()
                    ? CustomerStatus.UNKNOWN
                    : customer.get(0).getCustomer().getStatus();
            String name = customer.isEmpty()
                    ? ""
                    : "'" + customer.get(0).getCustomer().getDescriptiveName() + "', ";
            findings.add(
                    status == CustomerStatus.ENABLED
                            ? Finding.ok(subject, name + "status " + status)
                            : Finding.wrong(
                                    subject,
                                    name + "status " + status + ", not ENABLED",
                                    "Google Ads does not serve this account; "
                                            + "check customer_id, or reactivate the account in Google Ads"));
            calls.searchStream(
                            "read the user lists of customer " + calls.customerId(),
                            "SELECT user_list.resource_name, user_list.name, user_list.type, user_list.description FROM user_list")
                    .forEach(r -> lists.put(r.getUserList().getResourceName(), r.getUserList()));
        } catch (DestinationException e) {
            findings.add(Finding.wrong(
                    subject,
                    e.getMessage(),
                    "check customer_id, login_customer_id, the developer token "
                            + "and the OAuth credentials (ads.properties or the GOOGLE_ADS_* variables)"));
            return findings;
        }
        remembered.forEach((audience, ids) -> findings.add(checkList(audience, ids.get(KEY), lists)));
        return findings;
    }

    private Finding checkList(AudienceDefinition audience, String known, Map<String, UserList> lists) {
        String subject = "audience " + audience.id();
        String name = prefix + audience.id();
        if (known != null) {
            return lists.containsKey(known)
                    ? Finding.ok(
                            subject,
                            "user list " + known + " ('" + lists.get(known).getName() + "')")
                    : Finding.wrong(
                            subject,
                            "user list " + known + ", which the sync state remembers, is not in customer "
                                    + calls.customerId(),
                            startOver(audience));
        }
        UserList named = lists.values().stream()
                .filter(l -> l.getName().equals(name))
                .findFirst()
                .orElse(null);
        if (named == null) {
            return Finding.ok(subject, "the first sync creates user list '" + name + "'");
        }
        if (named.getType() != UserListType.CRM_BASED) {
            return Finding.wrong(
                    subject,
                    "user list '" + name + "' is of type " + named.getType() + ", not CRM_BASED",
                    "rename it in Google Ads or set another list_prefix");
        }
        return Ownership.created(audience, named.getDescription()) || audience.adopt()
                ? Finding.ok(
                        subject,
                        "the first sync replaces the members of user list " + named.getResourceName() + " ('" + name
                                + "')")
                : Finding.wrong(
                        subject,
                        "user list " + named.getResourceName() + " ('" + name + "') was not created by this job, "
                                + "so a sync will not touch it",
                        "give the definition another id, or set 'adopt: true' in " + audience.file()
                                + " to take it over on purpose");
    }

    private String verified(AudienceDefinition audience, String resourceName) {
        if (!resourceName.startsWith("customers/" + calls.customerId() + "/userLists/")) {
            throw new DestinationException(audience.id() + ": the state names user list " + resourceName
                    + ", which is not in customer " + calls.customerId() + "; " + startOver(audience));
        }
        List<GoogleAdsRow> rows = calls.search(
                "check user list " + resourceName,
                "SELECT user_list.resource_name FROM user_list WHERE user_list.resource_name = "
                        + Gaql.literal(resourceName));
        if (rows.isEmpty()) {
            throw new DestinationException(audience.id() + ": user list " + resourceName
                    + " no longer exists in Google Ads; " + startOver(audience));
        }
        return resourceName;
    }

    private String startOver(AudienceDefinition audience) {
        return "to start over with a new list, delete " + store.file(destination, audience.id())
                + " and run sync again";
    }

    private String create(AudienceDefinition audience, String name) {
        UserList list = UserList.newBuilder()
                .setName(name)
                .setDescription((audience.description() + " " + Ownership.marker(audience)).strip())
                .setMembershipLifeSpan(membershipDays)
                .setCrmBasedUserList(CrmBasedUserListInfo.newBuilder()
                        .setUploadKeyType(CustomerMatchUploadKeyType.CONTACT_INFO)
                        .setDataSourceType(UserListCrmDataSourceType.FIRST_PARTY))
                .build();
        var request = MutateUserListsRequest.newBuilder()
                .setCustomerId(calls.customerId())
                .addOperations(UserListOperation.newBuilder().setCreate(list))
                .build();
        return calls.mutateUserLists("create user list '" + name + "'", request)
                .getResults(0)
                .getResourceName();
    }
}
