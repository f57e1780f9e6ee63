package se.nestit.audience.destination.file;

import java.util.Arrays;
import java.util.stream.Collectors;
import se.nestit.audience.identity.Normalization;

/**
 * The layout of an audience file, named by its {@code format} setting: one column of SHA-256 hex
 * digests under a header line, the header being what the upload form the file is meant for
 * expects. The digests are the same in every format.
 */
public enum FileFormat {
    /** This tool's own: header {@code email_sha256}. */
    PLAIN("plain", "email_sha256", Normalization.BASIC),
    /** Google Ads Customer Match's upload template: the header for emails, plain or hashed, is {@code Email}. */
    GOOGLE_ADS("google-ads", "Email", Normalization.GOOGLE),
    /** Meta's customer list for a Custom Audience: the column header for emails is {@code email}. */
    META("meta", "email", Normalization.META);

    private final String configName;
    private final String header;
    private final Normalization normalization;

    FileFormat(String configName, String header, Normalization normalization) {
        this.configName = configName;
        this.header = header;
        this.normalization = normalization;
    }

    public String configName() {
        return configName;
    }

    /** The file's first line. */
    public String header() {
        return header;
    }

    /** The profile the network the format is for asks for, used when the destination sets none. */
    public Normalization normalization() {
        return normalization;
    }

    /** @throws IllegalArgumentException when no format has that name */
    public static FileFormat fromConfigName(String name) {
        for (FileFormat f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("expected one of " + names() + " but was '" + name + "'");
    }

    public static String names() {
        return Arrays.stream(values()).map(FileFormat::configName).collect(Collectors.joining(", "));
    }
}
