package se.nestit.audience.desired;

import se.nestit.audience.identity.Normalization;

/**
 * Where a Spark build puts what {@code sync --desired} needs, relative to its {@code desired/}
 * directory. Hash files have the file destination's format (a header line {@code email_sha256},
 * then distinct lowercase hex digests, sorted, one a line).
 *
 * <pre>
 * manifest.json                         as of, headers, destinations, per audience the report's counts
 * audiences/&lt;file&gt;.yaml                 the definitions the build evaluated
 * &lt;destination-id&gt;/&lt;audience-id&gt;.csv     the audience's desired hashes at that network destination
 * exportable/&lt;profile&gt;.csv               the hashes of every exportable customer (for add-only audiences)
 * holders/&lt;profile&gt;.csv.gz              who is behind each hash, for the audit trail ({@link HolderFile})
 * </pre>
 */
public final class DesiredLayout {

    public static final String AUDIENCES = "audiences";

    private DesiredLayout() {}

    public static String desired(String destinationId, String audienceId) {
        return destinationId + "/" + audienceId + ".csv";
    }

    public static String exportable(Normalization profile) {
        return "exportable/" + profile.configName() + ".csv";
    }

    public static String holders(Normalization profile) {
        return "holders/" + profile.configName() + ".csv.gz";
    }
}
