package se.nestit.audience.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A data directory whose files hold only their header rows: for commands ({@code check},
 * {@code plan}) whose tests are about the destinations, not the customers.
 */
public final class HeaderOnlyData {

    private HeaderOnlyData() {}

    /** Writes customers, consents, suppressions and orders (with an amount column) into {@code dir}, made if needed. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("customers.csv"), "customer_id,email\n");
        Files.writeString(dir.resolve("consents.csv"), "customer_id,purpose,status,recorded_at\n");
        Files.writeString(dir.resolve("suppressions.csv"), "customer_id,email\n");
        Files.writeString(dir.resolve("orders.csv"), "customer_id,ordered_at,amount\n");
        return dir;
    }
}
