package se.nestit.audience.destination.meta;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import se.nestit.audience.destination.meta.FakeGraphApi.Fault;
import se.nestit.audience.destination.meta.FakeGraphApi.Route;

/**
 * The loopback Graph API ({@link FakeGraphApi}) for tests outside this package, such as the
 * privacy properties: a {@code meta} destination to point at it, what it holds, and the two faults
 * those tests inject. FakeGraphApi stays package-private; this is the narrow door to it.
 */
public final class LoopbackMeta implements AutoCloseable {

    public static final String TOKEN = FakeGraphApi.TOKEN;
    public static final String APP_SECRET = FakeGraphApi.APP_SECRET;
    public static final String TOKEN_VARIABLE = FakeGraphApi.TOKEN_VARIABLE;
    public static final String SECRET_VARIABLE = FakeGraphApi.SECRET_VARIABLE;

    private final FakeGraphApi fake;

    private LoopbackMeta(FakeGraphApi fake) {
        this.fake = fake;
    }

    public static LoopbackMeta start() throws IOException {
        return new LoopbackMeta(new FakeGraphApi());
    }

    /**
     * A {@code destinations:} entry (indented for the config's destinations map) of type meta
     * against this server, with quick retries so that tests do not wait on backoff.
     */
    public String destinationYaml(String id, String audiencePrefix) {
        return fake.destinationYaml(id, audiencePrefix);
    }

    /** The members of every custom audience with this name (empty when there is none). */
    public Set<String> members(String audienceName) {
        Set<String> all = new TreeSet<>();
        for (String id : fake.audiencesNamed(audienceName)) {
            all.addAll(fake.members(id));
        }
        return all;
    }

    public List<String> audiencesNamed(String audienceName) {
        return fake.audiencesNamed(audienceName);
    }

    /** Every hash sent to be added (users and usersreplace) since the last {@link #forgetRequests()}. */
    public Set<String> sentForAdding() {
        Set<String> sent = new TreeSet<>();
        for (FakeGraphApi.Request r : fake.requests()) {
            if (r.route() == Route.ADD_USERS || r.route() == Route.REPLACE_USERS) {
                sent.addAll(r.data());
            }
        }
        return sent;
    }

    public int requestCount() {
        return fake.requests().size();
    }

    public void forgetRequests() {
        fake.forgetRequests();
    }

    /** Meta's custom-audience rate limit on the next {@code times} adds, with a wait of zero: retried. */
    public void rateLimitAdds(int times) {
        fake.inject(Fault.graph(
                        Route.ADD_USERS,
                        400,
                        80003,
                        2446079,
                        "(#80003) There have been too many calls to this ad-account.")
                .header(
                        GraphApi.USAGE_HEADER,
                        "{\"" + FakeGraphApi.ACCOUNT + "\":[{\"type\":\"custom_audience\","
                                + "\"call_count\":100,\"total_cputime\":5,\"total_time\":5,\"estimated_time_to_regain_access\":0}]}")
                .times(times));
    }

    /**
     * An expired token (code 190) on the next read of a remembered audience (the first call of a
     * run whose audiences already exist at Meta), with a message that echoes the token
     * and the app secret, as a careless proxy or error page might: nothing may pass them on.
     */
    public void expireTokenOnNextRead() {
        fake.inject(Fault.graph(
                        Route.READ_AUDIENCE,
                        400,
                        190,
                        463,
                        "Error validating access token: Session has expired. Malformed access token " + TOKEN
                                + " (app secret " + APP_SECRET + ")")
                .userMessage("Your session expired for token " + TOKEN));
    }

    /** Requests the fake found malformed (wrong credentials, bad payloads). */
    public List<String> violations() {
        return fake.violations();
    }

    @Override
    public void close() {
        fake.close();
    }
}
