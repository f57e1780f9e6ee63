package se.nestit.audience.destination.googleads;

/** Google Ads Query Language helpers. */
final class Gaql {

    private Gaql() {}

    /** A single-quoted GAQL string literal; backslashes and quotes inside are escaped with a backslash. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
