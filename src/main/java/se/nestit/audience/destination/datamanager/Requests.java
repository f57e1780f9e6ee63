package se.nestit.audience.destination.datamanager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import se.nestit.audience.identity.SortedHashes;

/**
 * The request bodies this destination sends, field for field as Google's REST reference for the
 * Data Manager API v1 gives them (developers.google.com/data-manager/api/reference/rest/v1: the
 * audienceMembers.ingest and .remove methods, Destination, ProductAccount, AudienceMember,
 * UserData, Consent, Encoding, TermsOfService, accountTypes.accounts.userLists; the same names in
 * googleapis/googleapis google/ads/datamanager/v1/*.proto), read 2026-11-22:
 *
 * <pre>
 * POST /v1/audienceMembers:ingest                        IngestAudienceMembersRequest
 *   {"destinations": [{"operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
 *                      "loginAccount": {"accountType": "GOOGLE_ADS", "accountId": "..."},   (only when configured)
 *                      "productDestinationId": "&lt;user list id&gt;"}],
 *    "audienceMembers": [{"userData": {"userIdentifiers": [{"emailAddress": "&lt;sha-256, 64 lowercase hex&gt;"}]},
 *                         "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"}}],
 *    "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"},
 *    "encoding": "HEX",
 *    "termsOfService": {"customerMatchTermsOfServiceStatus": "ACCEPTED"}}
 *   at most 10,000 audienceMembers; answer {"requestId": "..."}
 * POST /v1/audienceMembers:remove                        RemoveAudienceMembersRequest
 *   {"destinations": [...], "audienceMembers": [...], "encoding": "HEX"}
 *   the request has no consent and no termsOfService field: removing someone needs neither
 * POST /v1/audienceMembers:removeAll                     RemoveAllAudienceMembersRequest
 *   {"destinations": [...], "removeAsOfTime": "2026-11-22T03:00:00Z"}
 *   removes the members last added before that time (guide "Remove all members from an audience")
 * GET  /v1/accountTypes/GOOGLE_ADS/accounts/{id}/userLists/{listId}                        userLists.get
 * GET  /v1/accountTypes/GOOGLE_ADS/accounts/{id}/userLists?filter=display_name = "..."     userLists.list
 *   answer {"userLists": [UserList...], "nextPageToken": "..."}
 * POST /v1/accountTypes/GOOGLE_ADS/accounts/{id}/userLists                                 userLists.create
 *   {"displayName": "...", "description": "...", "membershipStatus": "OPEN",
 *    "ingestedUserListInfo": {"uploadKeyTypes": ["CONTACT_ID"],
 *                             "contactIdInfo": {"dataSourceType": "DATA_SOURCE_TYPE_FIRST_PARTY"}}}
 *   answer UserList {"name": "accountTypes/GOOGLE_ADS/accounts/{id}/userLists/{listId}", "id": "{listId}", ...}
 *   (the userLists methods take the login account as a header: login-account: accountTypes/GOOGLE_ADS/accounts/{id})
 * </pre>
 *
 * Older pages name the account's type {@code product}; the current reference deprecates it for
 * {@code accountType}, which is what is sent. The guides now suggest {@code compositeData.userData}
 * over {@code userData}, which the reference still documents and supports; {@code userData} is sent.
 */
final class Requests {

    static final String ACCOUNT_TYPE = "GOOGLE_ADS";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Requests() {}

    /** The Google Ads account and user list the members go to or leave. */
    record Target(String operatingAccountId, Optional<String> loginAccountId, String userListId) {}

    /**
     * Only customers who passed the consent gate and granted both of Google's signals, each
     * decided on its own configured purpose ({@code consent.signals}), are ever sent to Google: so
     * each member's own consent ({@code AudienceMember.consent}, which overrides the request's) is
     * GRANTED for ad user data and for ad personalization, and so is the request's.
     */
    static ObjectNode ingest(Target target, SortedHashes members) {
        ObjectNode body = members(target, members);
        body.get("audienceMembers").forEach(member -> grantedSignals(((ObjectNode) member).putObject("consent")));
        grantedSignals(body.putObject("consent"));
        body.put("encoding", "HEX");
        body.putObject("termsOfService").put("customerMatchTermsOfServiceStatus", "ACCEPTED");
        return body;
    }

    private static void grantedSignals(ObjectNode consent) {
        consent.put("adUserData", "CONSENT_GRANTED");
        consent.put("adPersonalization", "CONSENT_GRANTED");
    }

    static ObjectNode remove(Target target, SortedHashes members) {
        ObjectNode body = members(target, members);
        body.put("encoding", "HEX");
        return body;
    }

    static ObjectNode removeAll(Target target, Instant addedBefore) {
        ObjectNode body = JSON.objectNode();
        body.putArray("destinations").add(destination(target));
        body.put("removeAsOfTime", addedBefore.toString());
        return body;
    }

    static ObjectNode newUserList(String displayName, String description) {
        ObjectNode list = JSON.objectNode();
        list.put("displayName", displayName);
        if (!description.isBlank()) {
            list.put("description", description);
        }
        list.put("membershipStatus", "OPEN");
        ObjectNode info = list.putObject("ingestedUserListInfo");
        info.putArray("uploadKeyTypes").add("CONTACT_ID");
        info.putObject("contactIdInfo").put("dataSourceType", "DATA_SOURCE_TYPE_FIRST_PARTY");
        return list;
    }

    static String account(String accountId) {
        return "accountTypes/" + ACCOUNT_TYPE + "/accounts/" + accountId;
    }

    private static ObjectNode members(Target target, SortedHashes members) {
        ObjectNode body = JSON.objectNode();
        body.putArray("destinations").add(destination(target));
        ArrayNode list = body.putArray("audienceMembers");
        try {
            members.forEachHex(hex -> list.addObject()
                    .putObject("userData")
                    .putArray("userIdentifiers")
                    .addObject()
                    .put("emailAddress", hex));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above does no I/O
        }
        return body;
    }

    private static ObjectNode destination(Target target) {
        ObjectNode d = JSON.objectNode();
        productAccount(d.putObject("operatingAccount"), target.operatingAccountId());
        target.loginAccountId().ifPresent(id -> productAccount(d.putObject("loginAccount"), id));
        d.put("productDestinationId", target.userListId());
        return d;
    }

    private static void productAccount(ObjectNode account, String id) {
        account.put("accountType", ACCOUNT_TYPE);
        account.put("accountId", id);
    }
}
