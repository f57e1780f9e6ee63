package se.nestit.audience.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import se.nestit.audience.identity.EmailSyntax;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;

class HashStageTest {

    @Test
    void eachProfilesDigestIsThatOfTheNormalizedEmailPlainCellOrNot() {
        List<String> emails = List.of(
                "Anna.Lind+x@GoogleMail.com",
                "a.b@gmail.com",
                " a.b@gmail.com",
                "Per@Exempel.SE",
                "per@exempel.se\u00A0",
                "\uFEFFÅsa@Exempel.se",
                ".@gmail.com",
                "+tag@gmail.com",
                "x@y@gmail.com");
        CustomerTable customers = new CustomerTable();
        BitSet needed = new BitSet();
        for (int i = 0; i < emails.size(); i++) {
            needed.set(customers.add("C" + i, emails.get(i), i + 2));
        }
        Map<Normalization, BitSet> profiles = new EnumMap<>(Normalization.class);
        for (Normalization p : Normalization.values()) {
            profiles.put(p, needed);
        }

        Map<Normalization, ProfileHashes> hashes = HashStage.hash(customers, profiles, Progress.NONE);

        Sha256 sha = new Sha256();
        for (Normalization p : Normalization.values()) {
            int unusable = 0;
            for (int i = 0; i < emails.size(); i++) {
                String n = p.apply(emails.get(i));
                if (EmailSyntax.isValid(n)) {
                    int customer = i;
                    assertTrue(
                            Arrays.stream(hashes.get(p).customersWith(sha.digest(n)))
                                    .anyMatch(c -> c == customer),
                            p + " " + n);
                } else {
                    unusable++;
                }
            }
            assertEquals(unusable, hashes.get(p).unusable(), p.name());
        }
    }

    @Test
    void theHashingBarReachesItsTotal() {
        CustomerTable customers = new CustomerTable();
        BitSet needed = new BitSet();
        // not a multiple of the 4096 customers a step counts
        for (int i = 0; i < 10_001; i++) {
            needed.set(customers.add("C" + i, "c" + i + "@example.se", i + 2));
        }
        AtomicLong total = new AtomicLong();
        AtomicLong advanced = new AtomicLong();
        Progress progress = (name, max) -> {
            total.set(max);
            return new Progress.Task() {
                @Override
                public void advance(long n) {
                    advanced.addAndGet(n);
                }

                @Override
                public void close() {}
            };
        };

        HashStage.hash(customers, Map.of(Normalization.BASIC, needed), progress);

        assertEquals(10_001, total.get());
        assertEquals(10_001, advanced.get());
    }
}
